/// What library code has to say besides its results: warnings, notices, timings and progress. Library code
/// reports here and never prints; the command layer installs the sink that renders it (to stderr, as one line
/// each, progress only on a terminal), and tests install one that collects. Keeping it one seam means a new
/// front end (a server, an IDE plug-in) decides how diagnostics look without touching the library.
public enum DiagnosticKind: Sendable, Equatable {
    /// Something the user should act on or know went wrong, the command goes on: `cairn: warning: …`.
    case warning
    /// Information in cairn's voice: `cairn: …` (e.g. waiting for a lock).
    case notice
    /// A line shown as it is (hook output that already names its hook, `[timing]` lines).
    case line
}

public struct ProgressUpdate: Sendable, Equatable {
    public enum Unit: Sendable { case files, bytes }
    public var label: String
    public var done: Int64
    public var total: Int64
    public var unit: Unit
    /// The last update of this progress.
    public var finished: Bool
    /// A bar for a phase of a command (fetching, checking out) ends on a line that stays on screen, as git's
    /// progress lines do; other bars (one per file added) are erased when they finish.
    public var keepsFinalLine: Bool

    /// The bar as a terminal shows it: `Fetching [#####-------------------] 21% 1.0 MiB/4.8 MiB`.
    public var barText: String {
        let shownTotal = max(total, done)
        let pct = shownTotal > 0 ? min(100, Int(done * 100 / shownTotal)) : 0
        let width = 24
        let filled = width * pct / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let amount = unit == .bytes ? "\(Progress.human(done))/\(Progress.human(shownTotal))" : "\(done)/\(shownTotal) files"
        return "\(label) [\(bar)] \(pct)% \(amount)"
    }

    /// What a terminal renderer writes for this update: the bar redrawn in place; when finished, the final bar on
    /// a line of its own (`keepsFinalLine`) or nothing (the line erased).
    public var terminalText: String {
        guard finished else { return "\r\u{1B}[K" + barText }
        return keepsFinalLine ? "\r\u{1B}[K" + barText + "\n" : "\r\u{1B}[K"
    }
}

public protocol DiagnosticsSink: Sendable {
    func report(_ kind: DiagnosticKind, _ message: String)
    /// Whether progress updates are wanted at all (a terminal renderer says yes; piped output says no).
    var showsProgress: Bool { get }
    func progress(_ update: ProgressUpdate)
}

/// Drops everything: the sink in force until a front end installs its own.
public struct SilentDiagnostics: DiagnosticsSink {
    public init() {}
    public func report(_ kind: DiagnosticKind, _ message: String) {}
    public var showsProgress: Bool { false }
    public func progress(_ update: ProgressUpdate) {}
}

/// Keeps every report, for tests and for callers that want to inspect warnings.
public final class CollectingDiagnostics: DiagnosticsSink, @unchecked Sendable {
    private let reports = Locked<[(DiagnosticKind, String)]>([])
    public init() {}
    public func report(_ kind: DiagnosticKind, _ message: String) { reports.withLock { $0.append((kind, message)) } }
    public var showsProgress: Bool { false }
    public func progress(_ update: ProgressUpdate) {}
    public func messages(_ kind: DiagnosticKind) -> [String] { reports.snapshot.filter { $0.0 == kind }.map(\.1) }
}

public enum Diagnostics {
    private static let installed = Locked<any DiagnosticsSink>(SilentDiagnostics())

    /// Makes `sink` receive every report from now on (the command layer does this once at start-up).
    public static func install(_ sink: any DiagnosticsSink) { installed.withLock { $0 = sink } }

    public static var sink: any DiagnosticsSink { installed.snapshot }

    public static func warning(_ message: String) { sink.report(.warning, message) }
    public static func notice(_ message: String) { sink.report(.notice, message) }
    public static func line(_ message: String) { sink.report(.line, message) }
}
