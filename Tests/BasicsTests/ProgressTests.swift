import XCTest
@testable import Basics

/// The progress line (issue 8, item 9): one bar that grows with the work found and ends at 100 %, left on screen.
final class ProgressTests: XCTestCase {
    /// Everything a terminal renderer would write for the bar's updates, and its frames (the text after each
    /// carriage return).
    private final class Screen: DiagnosticsSink, @unchecked Sendable {
        let text = Locked("")
        let showsProgress: Bool
        init(showsProgress: Bool = true) { self.showsProgress = showsProgress }
        func report(_ kind: DiagnosticKind, _ message: String) {}
        func progress(_ update: ProgressUpdate) { text.withLock { $0 += update.terminalText } }
        var frames: [String] {
            text.snapshot.components(separatedBy: "\r").map { $0.replacingOccurrences(of: "\u{1B}[K", with: "") }
                .filter { !$0.isEmpty }
        }
    }

    override func setUpWithError() throws {
        if getenv("CAIRN_NO_PROGRESS") != nil { throw XCTSkip("CAIRN_NO_PROGRESS is set: bars are off") }
    }

    func testBarThatGrowsOverRoundsEndsAtOneHundredPercentOnItsOwnLine() {
        let screen = Screen()
        let bar = Progress("Fetching", total: 0, unit: .bytes, enabled: true, keepsFinalLine: true, sink: screen)
        bar.addToTotal(3 << 20)
        bar.advance(by: 1 << 20)          // first frame: drawn at once
        bar.advance(by: 2 << 20)          // within 100 ms: not drawn
        bar.addToTotal(1 << 20)           // a second round finds more
        bar.advance(by: 1 << 20)
        bar.finish()
        bar.finish()                      // a second finish (a defer after an explicit one) draws nothing
        XCTAssertEqual(screen.frames.first, "Fetching [#######-----------------] 33% 1.0 MiB/3.0 MiB")
        XCTAssertEqual(screen.frames.last, "Fetching [########################] 100% 4.0 MiB/4.0 MiB\n")
        XCTAssertEqual(screen.text.snapshot.filter { $0 == "\n" }.count, 1, screen.text.snapshot)
    }

    func testBarOfOneFileIsErasedWhenItFinishes() {
        let screen = Screen()
        let bar = Progress("adding a.bin", total: 10, unit: .bytes, enabled: true, sink: screen)
        bar.advance(by: 10)
        bar.finish()
        XCTAssertTrue(screen.text.snapshot.hasSuffix("\r\u{1B}[K"), screen.text.snapshot)
        XCTAssertFalse(screen.text.snapshot.contains("\n"))
    }

    func testBarWithNothingDoneStaysSilent() {
        let screen = Screen()
        let bar = Progress("Pushing", total: 10, unit: .files, enabled: true, sink: screen)
        bar.finish()
        XCTAssertEqual(screen.text.snapshot, "")
    }

    func testDisabledBarWritesNothing() {
        let screen = Screen()
        let bar = Progress("Pushing", total: 10, unit: .files, enabled: false, sink: screen)
        let piped = Screen(showsProgress: false)     // stderr is not a terminal: the sink wants no progress
        let quiet = Progress("Pushing", total: 10, unit: .files, enabled: true, sink: piped)
        quiet.advance(by: 10)
        quiet.finish()
        XCTAssertEqual(piped.text.snapshot, "")
        bar.advance(by: 10)
        bar.finish()
        XCTAssertEqual(screen.text.snapshot, "")
    }
}
