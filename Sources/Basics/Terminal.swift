#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Output helpers: stdout for results, stderr for diagnostics and progress.
public enum Terminal {
    public static func stdout(_ line: String) { raw(line + "\n", fd: 1) }

    public static func stderr(_ line: String) { raw(line + "\n", fd: 2) }

    /// Writes text straight to a file descriptor (no stdio buffering, so nothing is lost at exit).
    public static func raw(_ text: String, fd: Int32) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buf in
            var off = 0
            while off < buf.count {
                let n = write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 { if errno == EINTR { continue }; return }
                off += n
            }
        }
    }

    public static var stderrIsTerminal: Bool { isatty(2) == 1 }

}

/// A progress line on stderr, redrawn at most ten times a second, only when stderr is a terminal.
/// Thread-safe: workers call `advance` from any thread. A bar for a phase of a command (`keepsFinalLine`:
/// fetching, checking out) ends by drawing its final state (100 % when all the work was done) on a line that
/// stays on screen, as git's progress lines do; other bars (one per file added) are erased when they finish.
/// A bar that was never drawn (nothing to do) stays silent.
public final class Progress: @unchecked Sendable {
    private let label: String
    private var total: Int64
    private let unit: Unit
    private var done: Int64 = 0
    private var lastDraw: Int64 = 0
    private var finished = false
    private let enabled: Bool
    private let keepsFinalLine: Bool
    private let output: @Sendable (String) -> Void
    private let lock = Mutex()

    public enum Unit: Sendable { case files, bytes }

    /// `output` receives the terminal text (tests capture it); by default it goes to stderr.
    public init(_ label: String, total: Int64, unit: Unit, enabled: Bool = Terminal.stderrIsTerminal,
                keepsFinalLine: Bool = false,
                output: @escaping @Sendable (String) -> Void = { Terminal.raw($0, fd: 2) }) {
        self.label = label
        self.total = total
        self.unit = unit
        self.enabled = enabled && getenv("CAIRN_NO_PROGRESS") == nil
        self.keepsFinalLine = keepsFinalLine
        self.output = output
    }

    public func advance(by n: Int64) {
        guard enabled else { return }
        lock.withLock {
            done += n
            let now = FS.nowNs()
            if now - lastDraw > 100_000_000 {
                lastDraw = now
                draw()
            }
        }
    }

    /// Work found after the bar started (fetch learns of a directory's files once its tree has arrived): the
    /// same bar grows, instead of a new bar per round that each stop short of 100 %.
    public func addToTotal(_ n: Int64) {
        guard enabled else { return }
        lock.withLock { total += n }
    }

    public func finish() {
        guard enabled else { return }
        lock.withLock {
            guard !finished else { return }
            finished = true
            guard lastDraw != 0 else { return }
            if keepsFinalLine {
                draw()
                output("\n")
            } else {
                output("\r\u{1B}[K")
            }
        }
    }

    private func draw() {
        let pct = total > 0 ? min(100, Int(done * 100 / total)) : (done > 0 ? 100 : 0)
        let width = 24
        let filled = width * pct / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let amount = unit == .bytes ? "\(Progress.human(done))/\(Progress.human(max(total, done)))"
            : "\(done)/\(max(total, done)) files"
        output("\r\u{1B}[K\(label) [\(bar)] \(pct)% \(amount)")
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
