#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Basics

/// Output helpers: stdout for results, stderr for diagnostics and progress.
enum Terminal {
    static func stdout(_ line: String) { raw(line + "\n", fd: 1) }

    static func stderr(_ line: String) { raw(line + "\n", fd: 2) }

    /// Writes text straight to a file descriptor (no stdio buffering, so nothing is lost at exit).
    static func raw(_ text: String, fd: Int32) {
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

    static var stderrIsTerminal: Bool { isatty(2) == 1 }

}

/// Renders library diagnostics for a person: warnings and notices as one line each on stderr, progress as a
/// bar redrawn in place, only when stderr is a terminal (piped output stays clean).
final class TerminalDiagnostics: DiagnosticsSink, @unchecked Sendable {
    let showsProgress: Bool
    private let lock = Mutex()
    private var drawn = false

    init(showsProgress: Bool = Terminal.stderrIsTerminal) { self.showsProgress = showsProgress }

    func report(_ kind: DiagnosticKind, _ message: String) {
        let text: String
        switch kind {
        case .warning: text = "cairn: warning: " + message
        case .notice: text = "cairn: " + message
        case .line: text = message
        }
        lock.withLock {
            if drawn { Terminal.raw("\r\u{1B}[K", fd: 2); drawn = false }
            Terminal.stderr(text)
        }
    }

    func progress(_ update: ProgressUpdate) {
        guard showsProgress else { return }
        lock.withLock {
            Terminal.raw(update.terminalText, fd: 2)
            drawn = !update.finished
        }
    }
}
