#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress of a long operation, reported to the diagnostics sink at most ten times a second (the sink draws it,
/// on a terminal only). Thread-safe: workers call `advance` from any thread. `finish()` always sends a final
/// update at the true total, so a bar that is drawn ends at 100 %.
public final class Progress: @unchecked Sendable {
    public typealias Unit = ProgressUpdate.Unit
    private let label: String
    private let total: Int64
    private let unit: Unit
    private var done: Int64 = 0
    private var lastReport: Int64 = 0
    private var finished = false
    private let enabled: Bool
    private let sink: any DiagnosticsSink
    private let lock = Mutex()

    public init(_ label: String, total: Int64, unit: Unit, enabled: Bool = true,
                sink: any DiagnosticsSink = Diagnostics.sink) {
        self.label = label
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
        ProgressUpdate(label: label, done: finished ? max(done, total) : min(done, total), total: total, unit: unit,
                       finished: finished)
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
