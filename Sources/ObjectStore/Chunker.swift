/// Content-defined chunking: a FastCDC-style gear hash with normalised chunking.
///
/// The rolling hash is `h = (h << 1) + gear[byte]`, so bit k of `h` depends on the last k+1 bytes and the top
/// bits see a 64-byte window. A cut is made where the masked top bits are all zero. Normalised chunking uses
/// a stricter mask (more bits) before the average size and a looser one after it, which narrows the size
/// distribution around the average. Nothing is hashed before `minSize` (FastCDC's skip), and a cut is forced
/// at `maxSize`. Because the hash depends only on a 64-byte window, inserting bytes into a file moves only
/// the cut points near the insertion; later cuts resynchronise.
public struct Chunker: Sendable {
    public struct Parameters: Sendable, Equatable {
        public var minSize: Int
        public var averageSize: Int
        public var maxSize: Int

        /// Chosen by measurement on a 264 MiB numeric CSV (see docs/formats.md, "The object store").
        public static let standard = Parameters(minSize: 64 << 10, averageSize: 256 << 10, maxSize: 1 << 20)

        public init(minSize: Int, averageSize: Int, maxSize: Int) {
            self.minSize = minSize
            self.averageSize = averageSize
            self.maxSize = maxSize
        }

        var isValid: Bool {
            minSize >= 64 && minSize < averageSize && averageSize < maxSize && averageSize.nonzeroBitCount == 1
        }
    }

    /// Files smaller than this are stored as one blob; chunks are never larger.
    public static let maxSize = Parameters.standard.maxSize

    public let parameters: Parameters
    private let strictMask: UInt64
    private let looseMask: UInt64

    public init(_ parameters: Parameters = .standard) {
        precondition(parameters.isValid, "invalid chunker parameters \(parameters); this is a bug")
        self.parameters = parameters
        let bits = parameters.averageSize.trailingZeroBitCount
        // Normalisation level 2: two more bits before the average, two fewer after it.
        strictMask = Chunker.topMask(bits: bits + 2)
        looseMask = Chunker.topMask(bits: bits - 2)
    }

    private static func topMask(bits: Int) -> UInt64 {
        let b = max(1, min(63, bits))
        return ((UInt64(1) << UInt64(b)) - 1) << UInt64(64 - b)
    }

    /// Length of the chunk that starts at `data`. Returns `data.count` when no cut point lies within it and
    /// it is shorter than `maxSize`: at end of input that is the last chunk, otherwise the caller must
    /// supply more bytes (at least `maxSize` when available) and ask again.
    public func cutPoint(_ data: UnsafeRawBufferPointer) -> Int {
        let count = data.count
        let p = parameters
        if count <= p.minSize { return count }
        guard let base = data.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
        let end = min(count, p.maxSize)
        let middle = min(end, p.averageSize)
        var h: UInt64 = 0
        var i = p.minSize
        return GearTable.values.withUnsafeBufferPointer { gear -> Int in
            let g = gear.baseAddress!
            let strict = strictMask, loose = looseMask
            while i < middle {
                h = (h << 1) &+ g[Int(base[i])]
                if h & strict == 0 { return i + 1 }
                i += 1
            }
            while i < end {
                h = (h << 1) &+ g[Int(base[i])]
                if h & loose == 0 { return i + 1 }
                i += 1
            }
            return end
        }
    }

    /// All chunk lengths of a complete buffer (for tests and small inputs).
    public func chunkLengths(_ data: UnsafeRawBufferPointer) -> [Int] {
        var out: [Int] = []
        var start = 0
        while start < data.count {
            let n = cutPoint(UnsafeRawBufferPointer(rebasing: data[start...]))
            out.append(n)
            start += n
        }
        return out
    }

    public func chunkLengths(_ data: [UInt8]) -> [Int] { data.withUnsafeBytes { chunkLengths($0) } }
}

/// The 256 gear values: splitmix64 from the fixed seed 0x6361_6972_6e00_0001 ("cairn", 1). Changing them
/// changes every chunk boundary, so they are part of the format (docs/formats.md, "The object store").
enum GearTable {
    static let seed: UInt64 = 0x6361_6972_6e00_0001

    static let values: [UInt64] = {
        var state = seed
        var out = [UInt64]()
        out.reserveCapacity(256)
        for _ in 0..<256 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            out.append(z ^ (z >> 31))
        }
        return out
    }()
}
