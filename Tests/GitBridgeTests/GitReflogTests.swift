import Basics
import GitBridge
import XCTest

/// `lastBranchSwitch`: what a plain `cairn checkout` learns about the commit HEAD left, only when HEAD's last
/// move was a branch switch that left it where it is.
final class GitReflogTests: XCTestCase {
    private var fixture: GitFixture!

    override func setUpWithError() throws {
        fixture = try GitFixture()
        try fixture.initRepository()
        try fixture.commit("first", ["a.txt": "a\n"], at: 1_600_000_000)
        try fixture.git(["branch", "other"], in: "repo")
        try fixture.commit("second", ["b.txt": "b\n"], at: 1_600_000_100)
    }

    override func tearDown() { fixture = nil }

    private func sha(_ revision: String) throws -> String {
        try fixture.git(["rev-parse", revision], in: "repo").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testSwitchIsReportedWithBothEnds() throws {
        let main = try sha("main")
        try fixture.git(["checkout", "-q", "other"], in: "repo")
        let repository = try GitRepository.discover(startingAt: fixture.path("repo"))
        let move = try XCTUnwrap(try repository.lastBranchSwitch())
        XCTAssertEqual(move.from, main)
        XCTAssertEqual(move.to, try sha("other"))
    }

    func testACommitSinceTheSwitchIsNotASwitch() throws {
        try fixture.git(["checkout", "-q", "other"], in: "repo")
        try fixture.commit("third", ["c.txt": "c\n"], at: 1_600_000_200)
        let repository = try GitRepository.discover(startingAt: fixture.path("repo"))
        XCTAssertNil(try repository.lastBranchSwitch())
    }

    func testNoSwitchAtAll() throws {
        let repository = try GitRepository.discover(startingAt: fixture.path("repo"))
        XCTAssertNil(try repository.lastBranchSwitch())
    }
}
