import Foundation
import XCTest

/// What a finished command produced. Output is captured through files, not a terminal, so cairn prints no
/// progress bars (they appear only when stderr is a terminal).
struct CommandResult {
    let arguments: [String]
    let exitCode: Int32
    let stdout: String
    let stderr: String

    var stdoutLines: [String] { lines(stdout) }
    var stderrLines: [String] { lines(stderr) }

    /// A one-paragraph description used in assertion messages, so a failing test shows what cairn said.
    var transcript: String {
        "$ cairn \(arguments.joined(separator: " "))\n[exit \(exitCode)]\n--- stdout ---\n\(stdout)--- stderr ---\n\(stderr)"
    }

    private func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }
}

/// Assertions shared by every end-to-end test. Each failure message carries the full transcript.
extension CommandResult {
    @discardableResult
    func assertSuccess(file: StaticString = #filePath, line: UInt = #line) -> CommandResult {
        XCTAssertEqual(exitCode, 0, "expected success\n\(transcript)", file: file, line: line)
        return self
    }

    /// The contract for every runtime error: exit 1 and `cairn: error: ...` on stderr, never a Swift crash.
    @discardableResult
    func assertError(containing fragments: [String], oneLine: Bool = true,
                     file: StaticString = #filePath, line: UInt = #line) -> CommandResult {
        XCTAssertEqual(exitCode, 1, "expected exit 1\n\(transcript)", file: file, line: line)
        assertNoCrash(file: file, line: line)
        let errorLines = stderrLines.filter { $0.hasPrefix("cairn: error: ") }
        XCTAssertFalse(errorLines.isEmpty, "no 'cairn: error:' line\n\(transcript)", file: file, line: line)
        if oneLine {
            XCTAssertEqual(stderrLines.count, 1, "stderr must be exactly one line\n\(transcript)", file: file, line: line)
        }
        for fragment in fragments {
            XCTAssertTrue(stderr.contains(fragment), "stderr lacks \"\(fragment)\"\n\(transcript)", file: file, line: line)
        }
        return self
    }

    func assertError(containing fragment: String, oneLine: Bool = true,
                     file: StaticString = #filePath, line: UInt = #line) {
        assertError(containing: [fragment], oneLine: oneLine, file: file, line: line)
    }

    /// Usage errors (unknown flag, missing argument, bad option value) come from ArgumentParser: exit 2.
    func assertUsageError(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(exitCode, 2, "expected usage error (exit 2)\n\(transcript)", file: file, line: line)
        assertNoCrash(file: file, line: line)
    }

    func assertNoCrash(file: StaticString = #filePath, line: UInt = #line) {
        let markers = ["Fatal error", "Stack dump", "Current stack trace", "Program crashed", "Segmentation fault"]
        if let marker = markers.first(where: { stderr.contains($0) }) {
            XCTFail("crash output (\(marker)) on stderr\n\(transcript)", file: file, line: line)
        } else if !(0...2).contains(exitCode) {
            // A signal (crash, trap) is reported as a negative exit code by RunningProcess.wait().
            XCTFail("abnormal exit \(exitCode)\n\(transcript)", file: file, line: line)
        }
    }

    func assertStdout(contains fragments: String..., file: StaticString = #filePath, line: UInt = #line) {
        for fragment in fragments {
            XCTAssertTrue(stdout.contains(fragment), "stdout lacks \"\(fragment)\"\n\(transcript)", file: file, line: line)
        }
    }

    func assertStdout(lacks fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(stdout.contains(fragment), "stdout has \"\(fragment)\"\n\(transcript)", file: file, line: line)
    }

    func assertStdoutLine(_ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(stdoutLines.contains(expected), "stdout has no line \"\(expected)\"\n\(transcript)",
                      file: file, line: line)
    }

    func assertStdoutLine(startingWith prefix: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(stdoutLines.contains { $0.hasPrefix(prefix) }, "stdout has no line starting \"\(prefix)\"\n\(transcript)",
                      file: file, line: line)
    }

    func assertStderr(contains fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(stderr.contains(fragment), "stderr lacks \"\(fragment)\"\n\(transcript)", file: file, line: line)
    }
}
