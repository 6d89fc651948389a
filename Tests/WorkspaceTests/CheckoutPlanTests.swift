import Basics
import Foundation
@testable import Workspace
import XCTest

/// Issue 8, item 11: what `CheckoutPlan` decides for each state of a tracked directory's files, before
/// anything is written (a refusal must write nothing, so the plan alone has to be right).
final class CheckoutPlanTests: XCTestCase {
    private var root = ""
    private var repo: CairnRepository!

    override func setUpWithError() throws {
        var template = Array((NSTemporaryDirectory() + "/cairn-plan-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CairnError("mkdtemp failed") }
        root = try XCTUnwrap(FS.realPath(String(cString: made)))   // the repository reports resolved paths
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        git.arguments = ["init", "-q", root]
        try git.run()
        git.waitUntilExit()
        _ = try RepositoryInit.run(cwd: root)
        repo = try CairnRepository.open(cwd: root, lockMode: .exclusive, warn: { _ in })
        try FS.makeDirectories(Paths.join(root, "data/set"))
        for name in ["a.txt", "b.txt", "c.txt"] { try write("data/set/" + name, "content of \(name)\n") }
        _ = try AddOperation.run(repo: repo, arguments: ["data/set"], cwd: root, kind: nil, desc: nil)
    }

    override func tearDownWithError() throws {
        repo = nil
        try FS.removeTree(root)
    }

    private func write(_ relative: String, _ text: String) throws {
        try FS.writeAtomically(Paths.join(root, relative), text)
    }

    private func plan(force: Bool = false) throws -> CheckoutPlan {
        let targets = try TargetResolver.trackedTargets(["data/set"], cwd: root, root: root)
        let identifier = try repo.makeFileIdentifier()
        var plan = CheckoutPlan()
        for target in targets { try plan.add(target, repo: repo, identifier: identifier, force: force) }
        return plan
    }

    func testAnUnchangedDirectoryPlansNothing() throws {
        let plan = try plan()
        XCTAssertEqual(plan.writes.map(\.path), [])
        XCTAssertEqual(plan.removals, [])
        XCTAssertEqual(plan.conflicts, [])
        XCTAssertEqual(plan.changedTargets, [])
        XCTAssertEqual(plan.unchangedFiles, 3)
    }

    func testADeletedFileIsWrittenAgain() throws {
        try FS.removeFile(Paths.join(root, "data/set/b.txt"))
        let plan = try plan()
        XCTAssertEqual(plan.writes.map(\.path), ["data/set/b.txt"])
        XCTAssertEqual(plan.conflicts, [])
        XCTAssertEqual(plan.changedTargets, ["data/set"])
    }

    func testAnEditNotInTheCacheIsAConflictUnlessForced() throws {
        try write("data/set/a.txt", "edited, never added\n")
        XCTAssertEqual(try plan().conflicts, ["data/set/a.txt"])
        XCTAssertEqual(try plan().writes.map(\.path), ["data/set/a.txt"], "planned, though refused as a whole")
        let forced = try plan(force: true)
        XCTAssertEqual(forced.conflicts, [])
        XCTAssertEqual(forced.writes.map(\.path), ["data/set/a.txt"])
    }

    func testAnExtraFileIsRemovedOnlyWhenItsContentIsSafe() throws {
        // Same bytes as a.txt: in the cache, so removing the extra file loses nothing.
        try write("data/set/copy.txt", "content of a.txt\n")
        XCTAssertEqual(try plan().removals, ["data/set/copy.txt"])
        XCTAssertEqual(try plan().conflicts, [])
        try write("data/set/new.txt", "only here\n")
        XCTAssertEqual(try plan().conflicts, ["data/set/new.txt"])
        XCTAssertEqual(try plan(force: true).removals.sorted(), ["data/set/copy.txt", "data/set/new.txt"])
    }

    func testDataMissingFromTheCacheIsRefusedWithAHint() throws {
        let packs = Paths.join(repo.dotCairn, "cache/packs")
        repo = nil   // releases the repository lock before it is taken again
        try FS.removeTree(Paths.join(root, "data/set"))
        try FS.removeTree(packs)
        try FS.makeDirectories(packs)
        repo = try CairnRepository.open(cwd: root, lockMode: .exclusive, warn: { _ in })
        XCTAssertThrowsError(try plan()) { error in
            XCTAssertTrue("\(error)".contains("cairn pull"), "\(error)")
        }
    }
}
