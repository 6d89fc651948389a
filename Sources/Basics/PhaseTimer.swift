#if canImport(Glibc)
import Glibc
#endif

/// Prints how long each phase of a command took, to stderr, when CAIRN_TIMING is set. For profiling
/// benchmarks; silent otherwise.
public enum PhaseTimer {
    private static let enabled = getenv("CAIRN_TIMING") != nil
    private static let start = Locked(FS.nowNs())

    public static func mark(_ phase: String) {
        guard enabled else { return }
        let now = FS.nowNs()
        let elapsed = start.withLock { last -> Int64 in
            defer { last = now }
            return now - last
        }
        Diagnostics.line("[timing] \(phase): \(elapsed / 1_000_000) ms")
    }
}
