import Basics
import Foundation

/// A fresh directory under the system temp folder, removed when the value is released.
final class ScratchDirectory: @unchecked Sendable {
    let path: String

    init(_ label: String = "remotes") throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        path = Paths.join(base, "cairn-\(label)-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        try FS.makeDirectories(path)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { Paths.join(path, name) }

    /// Writes `bytes` to a new file in the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let target = file(name)
        try FS.makeDirectories(Paths.parent(target))
        try FS.writeAtomically(target, bytes)
        return target
    }
}

/// Deterministic, incompressible-looking test content (xorshift), so sizes and offsets matter in comparisons.
func pseudoRandomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed | 1
    var out = [UInt8](repeating: 0, count: count)
    for i in 0..<count {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        out[i] = UInt8(truncatingIfNeeded: state)
    }
    return out
}
