import Foundation
import XCTest

/// cairn never follows symbolic links (docs/formats.md): not when adding, and above all not when writing, where a
/// link planted in the work tree could redirect a write outside the repository.
final class SymlinkSafetyTests: EndToEndTestCase {
    func testCheckoutDoesNotWriteThroughASymlinkStandingInForAFile() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "tracked content\n")
        let outside = repo.base + "/victim.txt"
        try repo.write(outside, "outside, must not change\n")
        try repo.remove("data/x.csv")
        try repo.symlink("data/x.csv", to: outside)

        let refused = try repo.cairn("checkout")
        refused.assertError(containing: ["    data/x.csv", "use --force"], oneLine: false)
        XCTAssertEqual(try repo.readText(outside), "outside, must not change\n")

        try repo.cairn("checkout", "--force").assertSuccess()
        XCTAssertEqual(try repo.readText(outside), "outside, must not change\n", "checkout wrote through a symlink")
        XCTAssertEqual(try repo.readText("data/x.csv"), "tracked content\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: repo.path("data/x.csv"))
        XCTAssertEqual(attributes[.type] as? FileAttributeType, .typeRegular, "the symlink should be replaced by a file")
    }

    func testCheckoutDoesNotWriteThroughASymlinkedDirectory() throws {
        let repo = try makeRepo()
        try repo.write("data/set/a.txt", "a\n")
        try add(repo, "data/set")
        let outsideDir = repo.base + "/elsewhere"
        try repo.makeDirectory(outsideDir)
        try repo.remove("data/set")
        try repo.symlink("data/set", to: outsideDir)

        _ = try repo.cairn("checkout", "--force")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outsideDir), [],
                       "checkout wrote into a directory outside the repository through a symlink")
    }

    func testAddThroughASymlinkedParentDirectoryIsRefused() throws {
        let repo = try makeRepo()
        try repo.write("real/x.csv", "x\n")
        try repo.symlink("alias", to: "real")
        let result = try repo.cairn("add", "alias/x.csv")
        XCTAssertEqual(result.exitCode, 1, result.transcript)
        result.assertNoCrash()
        XCTAssertFalse(repo.exists("real/x.csv.cairn"))
        XCTAssertFalse(repo.exists("real/.gitignore"))
    }

    func testFileNameThatIsNotUTF8IsRejectedCleanly() throws {
        let repo = try makeRepo()
        try repo.write("data/set/ok.txt", "ok\n")
        // printf writes the raw byte 0xFF, which no UTF-8 string contains.
        try repo.shell("printf 'x' > \"data/set/bad$(printf '\\377').txt\"").assertSuccess()
        let result = try repo.cairn("add", "data/set")
        result.assertNoCrash()
        XCTAssertEqual(result.exitCode, 1, "a name cairn cannot record must be refused\n\(result.transcript)")
        XCTAssertTrue(result.stderr.hasPrefix("cairn: error: "), result.transcript)
        XCTAssertFalse(repo.exists("data/set.cairn"))
    }
}
