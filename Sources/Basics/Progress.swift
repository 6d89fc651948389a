#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress of a long operation, reported to the diagnostics sink at most ten times a second (the sink draws it,
/// on a terminal only). Thread-safe: workers call `advance` from any thread. A bar that was reported at all gets
/// one final update from `finish()`, showing where the work ended (100 % when it was all done); a bar never
/// reported (nothing to do, or too quick) stays silent.
public final class Progress: @unchecked Sendable {
    public typealias Unit = ProgressUpdate.Unit
    private let label: String
    private var total: Int64
    private let unit: Unit
    private var done: Int64 = 0
    private var lastReport: Int64 = 0
    private var finished = false
    private let enabled: Bool
    private let keepsFinalLine: Bool
    private let sink: any DiagnosticsSink
    private let lock = Mutex()

    public init(_ label: String, total: Int64, unit: Unit, enabled: Bool = true, keepsFinalLine: Bool = false,
                sink: any DiagnosticsSink = Diagnostics.sink) {
        self.label = label
        self.keepsFinalLine = keepsFinalLine
        self.total = total
        self.unit = unit
        self.sink = sink
        self.enabled = enabled && sink.showsProgress && getenv("CAIRN_NO_PROGRESS") == nil
    }

    public func advance(by n: Int64) {
        guard enabled else { return }
        lock.withLock {
            done += n
            let now = FS.nowNs()
            if now - lastReport > 100_000_000 {
                lastReport = now
                sink.progress(update(finished: false))
            }
        }
    }

    /// Work found after the bar started (fetch learns of a directory's files once its tree has arrived): the
    /// same bar grows, instead of a new bar per round that each stop short of 100 %.
    public func addToTotal(_ n: Int64) {
        guard enabled else { return }
        lock.withLock { total += n }
    }

    /// Ends the progress: the renderer shows it complete and clears its line. Idempotent.
    public func finish() {
        guard enabled else { return }
        lock.withLock {
            guard !finished else { return }
            finished = true
            if lastReport != 0 { sink.progress(update(finished: true)) }
        }
    }

    private func update(finished: Bool) -> ProgressUpdate {
        ProgressUpdate(label: label, done: done, total: total, unit: unit, finished: finished,
                       keepsFinalLine: keepsFinalLine)
    }

    /// Human-readable byte count: 1.5 MiB.
    public static func human(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = Double(bytes)
        var i = 0
        while abs(v) >= 1024 && i < units.count - 1 { v /= 1024; i += 1 }
        if i == 0 { return "\(bytes) B" }
        let rounded = (v * 10).rounded() / 10
        return "\(rounded) \(units[i])"
    }
}
