import Basics
import XCTest
@testable import Workspace

final class RepoConfigTests: XCTestCase {
    func testParsesSectionsSubsectionsAndComments() throws {
        let values = try RepoConfig.parse("""
            # comment
            [core]
            \tcompression_level = 3
            ; other comment
            [remote "my store"]
            \turl = "s3://bucket/prefix"
            """, file: "config")
        XCTAssertEqual(values["core.compression_level"], "3")
        XCTAssertEqual(values["remote.my store.url"], "s3://bucket/prefix")
        XCTAssertEqual(RepoConfig(values: values).compressionLevel, 3)
    }

    func testRejectsMalformedLinesNamingFileAndLine() {
        XCTAssertThrowsError(try RepoConfig.parse("[core]\nnonsense\n", file: ".cairn/config")) {
            XCTAssertEqual("\($0)", ".cairn/config:2: expected 'key = value'")
        }
        XCTAssertThrowsError(try RepoConfig.parse("key = 1\n", file: "c")) {
            XCTAssertTrue("\($0)".contains("outside a [section]"))
        }
    }

    func testOutOfRangeCompressionFallsBackToDefault() {
        XCTAssertEqual(RepoConfig(values: ["core.compression_level": "99"]).compressionLevel, 1)
    }
}

final class GitignoreFileTests: XCTestCase {
    var root = ""

    override func setUpWithError() throws {
        root = FS.currentDirectory() + "/.tmp-ignore-\(UInt32.random(in: 0...UInt32.max))"
        try FS.makeDirectories(root + "/data")
    }

    override func tearDownWithError() throws { try FS.removeTree(root) }

    func testAddIsIdempotentAndKeepsUserLines() throws {
        try FS.writeAtomically(root + "/data/.gitignore", "*.tmp")
        XCTAssertEqual(try GitignoreFile.add(dataPath: "data/big.csv", root: root), "data/.gitignore")
        XCTAssertNil(try GitignoreFile.add(dataPath: "data/big.csv", root: root))
        XCTAssertEqual(try FS.readString(root + "/data/.gitignore"), "*.tmp\n/big.csv\n")
    }

    func testSpecialCharactersAreEscaped() {
        XCTAssertEqual(GitignoreFile.pattern(for: "a*b[1].csv"), "/a\\*b\\[1\\].csv")
        XCTAssertEqual(GitignoreFile.pattern(for: "#x"), "/\\#x")
    }

    func testRemoveDeletesFileWhenEmpty() throws {
        try GitignoreFile.add(dataPath: "data/a", root: root)
        try GitignoreFile.add(dataPath: "data/b", root: root)
        XCTAssertEqual(try GitignoreFile.remove(dataPath: "data/a", root: root)?.deleted, false)
        XCTAssertEqual(try FS.readString(root + "/data/.gitignore"), "/b\n")
        XCTAssertEqual(try GitignoreFile.remove(dataPath: "data/b", root: root)?.deleted, true)
        XCTAssertFalse(FS.exists(root + "/data/.gitignore"))
        XCTAssertNil(try GitignoreFile.remove(dataPath: "data/b", root: root))
    }
}
