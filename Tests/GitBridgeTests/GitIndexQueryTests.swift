import Basics
import GitBridge
import XCTest

final class GitIndexQueryTests: XCTestCase {
    private var fixture: GitFixture!
    private var repository: GitRepository!

    override func setUpWithError() throws {
        fixture = try GitFixture()
        try fixture.initRepository("repo")
        for file in ["repo/train.py", "repo/data/a.csv", "repo/data/sub/b.csv", "repo/data2", "repo/data.csv",
                     "repo/with space/my file.txt", "repo/données/résumé 1.csv", "repo/日本語.txt"] {
            try fixture.write(file)
        }
        try fixture.git(["add", "."], in: "repo")
        try fixture.git(["commit", "-q", "-m", "first"], in: "repo")
        try fixture.write("repo/untracked.bin")
        try fixture.write("repo/scratch/notes.txt")          // a directory with only untracked files
        try fixture.write("repo/data/new-untracked.csv")
        repository = try GitRepository.discover(startingAt: fixture.path("repo"))
    }

    override func tearDown() {
        repository = nil
        fixture = nil
    }

    func testTrackedAndUntrackedFiles() throws {
        XCTAssertTrue(try repository.isTracked("train.py"))
        XCTAssertTrue(try repository.isTracked("data/sub/b.csv"))
        XCTAssertFalse(try repository.isTracked("untracked.bin"))
        XCTAssertFalse(try repository.isTracked("data/new-untracked.csv"))
        XCTAssertFalse(try repository.isTracked("no/such/file"))
    }

    func testDirectoriesAreTrackedWhenAnyFileBelowIs() throws {
        XCTAssertTrue(try repository.isTracked("data"))
        XCTAssertTrue(try repository.isTracked("data/"))
        XCTAssertTrue(try repository.isTracked("data/sub"))
        XCTAssertFalse(try repository.isTracked("scratch"))
        XCTAssertTrue(try repository.isTracked(""), "the root holds tracked files")
    }

    func testSiblingsSharingANamePrefixDoNotCount() throws {
        try fixture.git(["rm", "-q", "--cached", "-r", "data"], in: "repo")
        XCTAssertFalse(try repository.isTracked("data"), "data2 and data.csv are not inside data/")
        XCTAssertTrue(try repository.isTracked("data2"))
        XCTAssertTrue(try repository.isTracked("data.csv"))
        XCTAssertFalse(try repository.isTracked("dat"))
    }

    func testPathsWithSpacesAndNonASCIINames() throws {
        XCTAssertTrue(try repository.isTracked("with space/my file.txt"))
        XCTAssertTrue(try repository.isTracked("with space"))
        XCTAssertTrue(try repository.isTracked("données/résumé 1.csv"))
        XCTAssertTrue(try repository.isTracked("données"))
        XCTAssertTrue(try repository.isTracked("日本語.txt"))
        XCTAssertFalse(try repository.isTracked("日本"))
        XCTAssertEqual(try repository.trackedPaths(under: "données"), ["données/résumé 1.csv"])
    }

    func testAnswersFollowTheIndexOnDisk() throws {
        XCTAssertFalse(try repository.isTracked("untracked.bin"))
        try fixture.git(["add", "untracked.bin"], in: "repo")         // staged, not committed
        XCTAssertTrue(try repository.isTracked("untracked.bin"))
        try fixture.git(["rm", "-q", "--cached", "train.py"], in: "repo")
        XCTAssertFalse(try repository.isTracked("train.py"))
    }

    func testTrackedPathsUnderADirectory() throws {
        XCTAssertEqual(try repository.trackedPaths(under: "data"), ["data/a.csv", "data/sub/b.csv"])
        XCTAssertEqual(try repository.trackedPaths(under: "data/"), ["data/a.csv", "data/sub/b.csv"])
        XCTAssertEqual(try repository.trackedPaths(under: "scratch"), [])
        XCTAssertEqual(try repository.trackedPaths(under: "nothing-here"), [])
        let all = try repository.trackedPaths(under: "")
        XCTAssertEqual(all.count, 8)
        XCTAssertTrue(all.contains("data2") && all.contains("日本語.txt"))
    }

    func testManyPathsWithOneIndexRead() throws {
        XCTAssertEqual(try repository.areTracked(["data", "scratch", "train.py", "untracked.bin", "./data/a.csv"]),
                       [true, false, true, false, true])
    }

    func testADamagedIndexIsAnErrorNamingIt() throws {
        let indexPath = fixture.path("repo/.git/index")
        try FS.writeAtomically(indexPath, "DIRC but not really an index")
        XCTAssertThrowsError(try repository.isTracked("train.py")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix(indexPath + ": git_"), text)
            XCTAssertTrue(text.contains("invalid data in index") && text.contains("libgit2 error"), text)
        }
    }

    func testAnIndexDamagedAfterAGoodReadIsAnError() throws {
        XCTAssertTrue(try repository.isTracked("train.py"))
        let indexPath = fixture.path("repo/.git/index")
        try FS.writeAtomically(indexPath, "DIRC but not really an index")
        XCTAssertThrowsError(try repository.isTracked("train.py")) { error in
            XCTAssertTrue("\(error)".hasPrefix(indexPath + ": git_index_read failed: "), "\(error)")
        }
    }

    func testSharingOneRepositoryBetweenThreads() throws {
        let shared = repository!
        let wrong = Locked(0)
        try Parallel.forEach(200, workers: 4) { i in
            let tracked = try shared.isTracked(i % 2 == 0 ? "data/a.csv" : "untracked.bin")
            if tracked != (i % 2 == 0) { wrong.withLock { $0 += 1 } }
        }
        XCTAssertEqual(wrong.snapshot, 0)
    }
}

final class GitStagedFileTests: XCTestCase {
    func testStagedContentDiffersFromTheWorkTreeAndUnstagedIsNil() throws {
        let fixture = try GitFixture()
        try fixture.initRepository("repo")
        try fixture.write("repo/data/p.cairn", "staged\n")
        try fixture.git(["add", "data/p.cairn"], in: "repo")
        try fixture.write("repo/data/p.cairn", "work tree\n")
        let repo = try GitRepository.discover(startingAt: fixture.path("repo"))
        XCTAssertEqual(try repo.stagedFile("data/p.cairn").map { String(decoding: $0, as: UTF8.self) }, "staged\n")
        XCTAssertNil(try repo.stagedFile("data/none.cairn"))
    }
}
