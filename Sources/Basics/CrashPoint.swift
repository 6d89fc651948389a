#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Named places where a test can make `cairn` die as if killed, to prove that every interruption leaves a
/// repository that `fsck` finds clean and from which every committed version can be restored.
/// `CAIRN_CRASH_AT=NAME` (or `NAME:N` for the N-th time the point is reached) makes the process print
/// `cairn: crash point NAME` to stderr and `_exit(86)` there. All points are listed here, in one place, so the
/// end-to-end test can loop over every one. Unset, a hit costs one load: the variable is read once.
public enum CrashPoint: String, CaseIterable, Sendable {
    /// After records were appended to a pack file, before its index exists.
    case afterPackAppend = "after-pack-append"
    /// After a pack index was written to its temp file, before the rename that publishes it.
    case beforeIndexRename = "before-index-rename"
    /// During add, after the data was stored and made durable, before any pointer file is written.
    case addBeforePointers = "add-before-pointers"
    /// During checkout, after the first file was written.
    case midCheckout = "mid-checkout"
    /// During push, after a pack was uploaded, before its index.
    case midPush = "mid-push"
    /// During gc, after the new pack was written, before old ones are deleted.
    case midGC = "mid-gc"
    /// During fetch, after a pack was downloaded and imported, before the fetch finishes.
    case midFetch = "mid-fetch"
    /// During repro, after a stage finished and its lock entry was written, before the next stage.
    case reproAfterStage = "repro-after-stage"
    /// During repro, after a stage's outputs were stored and git-ignored, before its lock entry is written.
    case reproBeforeLockWrite = "repro-before-lock-write"

    /// The exit status of a crash point: distinct from every status cairn exits with on its own.
    public static let exitStatus: Int32 = 86

    private static let armed: (name: String, nth: Int)? = {
        guard let raw = getenv("CAIRN_CRASH_AT") else { return nil }
        let spec = String(cString: raw)
        if spec.isEmpty { return nil }
        let parts = spec.split(separator: ":", maxSplits: 1)
        let nth = parts.count == 2 ? Int(parts[1]) ?? 1 : 1
        return (String(parts[0]), max(1, nth))
    }()

    private static let hits = Locked(0)

    /// Dies here when this point is armed (and this is its N-th hit); otherwise returns at once.
    @inline(__always)
    public func reached() {
        guard let armed = CrashPoint.armed, armed.name == rawValue else { return }
        let count = CrashPoint.hits.withLock { $0 += 1; return $0 }
        guard count == armed.nth else { return }
        let line = "cairn: crash point \(rawValue)\n"
        _ = line.withCString { Glibc.write(2, $0, strlen($0)) }
        _exit(CrashPoint.exitStatus)
    }
}
