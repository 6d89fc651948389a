import Foundation
import XCTest

/// Issue 10, item 4: independent stages run at the same time with -j, and their output stays readable.
final class ReproParallelTests: EndToEndTestCase {
    func testIndependentStagesOverlapWithJobs() throws {
        let repo = try makeRepo()
        var yaml = "stages:\n"
        for i in 1...4 {
            // Start and end times (ns) written by the stage itself: the test compares them, not its own wall clock.
            yaml += """
                  s\(i):
                    cmd: date +%s%N > start\(i).txt && sleep 1 && echo hello from s\(i) && date +%s%N > end\(i).txt
                    outs: [start\(i).txt, end\(i).txt]

                """
        }
        try repo.write("cairn.yaml", yaml)
        let result = try repo.repro("-j", "4").assertSuccess()
        func time(_ file: String) throws -> Int64 {
            Int64(try repo.readText(file).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        }
        let starts = try (1...4).map { try time("start\($0).txt") }
        let ends = try (1...4).map { try time("end\($0).txt") }
        // All four were running at one moment: the last start precedes the first end.
        XCTAssertLessThan(starts.max()!, ends.min()!, result.transcript)
        XCTAssertLessThan(Double(ends.max()! - starts.min()!) / 1e9, 3.0, "four 1 s stages with -j 4 took too long")
        for i in 1...4 { result.assertStdoutLine("[s\(i)] hello from s\(i)") }
    }

    func testDownstreamWaitsForItsUpstreamAndChainsAreNotPrefixed() throws {
        let repo = try makeRepo()
        try repo.write("cairn.yaml", """
            stages:
              a:
                cmd: sleep 0.3 && echo a > a.txt && echo made a
                outs: [a.txt]
              b:
                cmd: cat a.txt > b.txt && echo made b
                deps: [a.txt]
                outs: [b.txt]
            """)
        let result = try repo.repro("-j", "4").assertSuccess()
        XCTAssertEqual(try repo.readText("b.txt"), "a\n")
        result.assertStdoutLine("made a")
        result.assertStdoutLine("made b")
    }

    func testSerialRunIsNotPrefixed() throws {
        let repo = try makeRepo()
        try repo.write("cairn.yaml", """
            stages:
              x:
                cmd: echo from x > x.txt && echo said x
                outs: [x.txt]
              y:
                cmd: echo from y > y.txt && echo said y
                outs: [y.txt]
            """)
        let result = try repo.repro("-j", "1").assertSuccess()
        result.assertStdoutLine("said x")
        result.assertStdoutLine("said y")
    }
}
