import Basics
import GitBridge
import XCTest

final class GitTreeTests: BranchyHistoryTestCase {
    func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    func testReadFileAtCommits() throws {
        XCTAssertEqual(text(try repository.readFile(at: c1, path: "data/x.cairn")), "x1\n")
        XCTAssertEqual(text(try repository.readFile(at: c2, path: "data/x.cairn")), "x2\n")
        XCTAssertEqual(text(try repository.readFile(at: "v1.0", path: "./data/x.cairn")), "x2\n")
        XCTAssertNil(try repository.readFile(at: c5, path: "data/x.cairn"), "renamed away")
        XCTAssertEqual(text(try repository.readFile(at: c5, path: "data/z.cairn")), "x2\n")
        XCTAssertNil(try repository.readFile(at: c1, path: "data"), "a directory is not a file")
        XCTAssertNil(try repository.readFile(at: c1, path: "missing/deeper.cairn"))
        XCTAssertThrowsError(try repository.readFile(at: "nope", path: "a.txt")) { error in
            XCTAssertEqual("\(error)", "unknown revision 'nope'")
        }
    }

    func testReadFileWithALimitChecksTheSizeBeforeReading() throws {
        XCTAssertEqual(text(try repository.readFile(at: c1, path: "data/x.cairn", maxBytes: 3)), "x1\n")
        XCTAssertNil(try repository.readFile(at: c1, path: "missing.txt", maxBytes: 1))
        func assertTooLarge(_ line: UInt = #line) {
            XCTAssertThrowsError(try repository.readFile(at: c1, path: "data/x.cairn", maxBytes: 2), line: line) { error in
                XCTAssertEqual((error as? GitRepository.BlobTooLarge)?.size, 3, line: line)
            }
        }
        assertTooLarge()
        // The same from a pack (the header comes from the pack entry, not a loose object).
        _ = try fixture.lines(["gc", "-q"])
        let packed = try GitRepository.discover(startingAt: repository.workdir)
        XCTAssertThrowsError(try packed.readFile(at: c1, path: "data/x.cairn", maxBytes: 2)) { error in
            XCTAssertEqual((error as? GitRepository.BlobTooLarge)?.size, 3)
        }
        XCTAssertEqual(text(try packed.readFile(at: c1, path: "data/x.cairn", maxBytes: 3)), "x1\n")
    }

    func testBlobIDMatchesGit() throws {
        let expected = try fixture.lines(["rev-parse", "\(c1):data/x.cairn"]).first
        XCTAssertEqual(try repository.blobID(at: c1, path: "data/x.cairn"), expected)
        XCTAssertNotEqual(try repository.blobID(at: c2, path: "data/x.cairn"), expected)
        XCTAssertEqual(try repository.blobID(at: c5, path: "data/z.cairn"),
                       try repository.blobID(at: c2, path: "data/x.cairn"), "a rename keeps the blob")
        XCTAssertNil(try repository.blobID(at: c5, path: "data/y.cairn"))
    }

    func testFilesWithSuffix() throws {
        let atMerge = try repository.files(at: merge, withSuffix: ".cairn")
        XCTAssertEqual(atMerge.map(\.path), ["data/x.cairn", "data/y.cairn", "img.cairn"])
        let expectedBlob = try fixture.lines(["rev-parse", "\(merge):data/y.cairn"]).first
        XCTAssertEqual(atMerge[1].blob, expectedBlob)
        XCTAssertEqual(try repository.files(at: "HEAD", withSuffix: ".cairn").map(\.path),
                       ["data/z.cairn", "img.cairn"])
        XCTAssertEqual(try repository.files(at: c1, withSuffix: ".txt").map(\.path), ["a.txt"])
    }

    func testChangedFilesAgainstTheFirstParent() throws {
        XCTAssertEqual(try repository.changedFiles(in: c1, withSuffix: ".cairn"), ["data/x.cairn", "img.cairn"])
        XCTAssertEqual(try repository.changedFiles(in: c2, withSuffix: ".cairn"), ["data/x.cairn"])
        XCTAssertEqual(try repository.changedFiles(in: c3, withSuffix: ".cairn"), [])
        XCTAssertEqual(try repository.changedFiles(in: c3, withSuffix: ".txt"), ["a.txt"])
        XCTAssertEqual(try repository.changedFiles(in: merge, withSuffix: ".cairn"), ["data/y.cairn"])
        XCTAssertEqual(try repository.changedFiles(in: c4, withSuffix: ".cairn"), ["data/x.cairn", "data/z.cairn"])
        XCTAssertEqual(try repository.changedFiles(in: "HEAD", withSuffix: ".cairn"), ["data/y.cairn"])
    }
}

extension GitTreeTests {
    func testOddPathsAreAbsentNotCrashes() throws {
        for path in ["", "/", "/a.txt", "../a.txt", "a.txt/", "data//x.cairn", "./", "a.txt/deeper"] {
            XCTAssertNoThrow(try repository.readFile(at: c1, path: path), path)
            XCTAssertNoThrow(try repository.history(path: path), path)
        }
        XCTAssertEqual(text(try repository.readFile(at: c1, path: "a.txt/")), "a1\n", "a trailing slash is dropped")
    }

    func testOneRepositorySharedByThreads() throws {
        let repository = self.repository!
        let expected = try repository.history(path: "data/y.cairn").map(\.sha)
        let results = Locked<[[String]]>([])
        try Parallel.forEach(16, workers: 4) { _ in
            let shas = try repository.history(path: "data/y.cairn").map(\.sha)
            _ = try repository.files(at: "HEAD", withSuffix: ".cairn")
            results.withLock { $0.append(shas) }
        }
        XCTAssertEqual(results.snapshot, Array(repeating: expected, count: 16))
    }
}
