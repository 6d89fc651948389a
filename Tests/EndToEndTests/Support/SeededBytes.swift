/// Deterministic pseudo-random bytes (SplitMix64), so a failing test can be rerun on the same data.
struct SeededBytes {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` bytes; incompressible, so stores cannot shrink them and chunkers see no repetition.
    static func make(count: Int, seed: UInt64) -> [UInt8] {
        var generator = SeededBytes(seed: seed)
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            let words = count / 8
            let wordBuffer = buffer.bindMemory(to: UInt64.self)
            for index in 0..<words { wordBuffer[index] = generator.next() }
        }
        var tail = generator.next()
        for index in (count / 8 * 8)..<count {
            bytes[index] = UInt8(truncatingIfNeeded: tail)
            tail >>= 8
        }
        return bytes
    }

    /// Text that repeats a line: very compressible, and identical chunks for a deduplicating store.
    static func repeatedText(count: Int, line: String = "timestamp,sensor,value\n2026-01-01T00:00:00Z,42,3.14159\n")
        -> [UInt8] {
        let unit = Array(line.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count + unit.count <= count { bytes.append(contentsOf: unit) }
        bytes.append(contentsOf: unit.prefix(count - bytes.count))
        return bytes
    }
}
