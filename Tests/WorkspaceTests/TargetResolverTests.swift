import Basics
import XCTest
@testable import Workspace

final class TargetResolverTests: XCTestCase {
    func testRelativeToCwdAndNormalised() throws {
        XCTAssertEqual(try TargetResolver.relativePath("x.csv", cwd: "/r/data", root: "/r"), "data/x.csv")
        XCTAssertEqual(try TargetResolver.relativePath("../data/./x.csv", cwd: "/r/sub", root: "/r"), "data/x.csv")
        XCTAssertEqual(try TargetResolver.relativePath("/r/a b/é.csv", cwd: "/", root: "/r"), "a b/é.csv")
    }

    func testRefusals() {
        let cases: [(String, String)] = [
            ("../../etc/passwd", "outside the repository"), ("/etc/passwd", "outside the repository"),
            (".", "is the repository root"), (".git/config", "inside .git/"), (".cairn/cache", "inside .cairn/"),
            ("/rx/file", "outside the repository"),
        ]
        for (argument, expected) in cases {
            XCTAssertThrowsError(try TargetResolver.relativePath(argument, cwd: "/r", root: "/r")) {
                XCTAssertTrue("\($0)".contains(expected), "\($0)")
            }
        }
    }

    func testPointerPathNamesItsData() {
        XCTAssertEqual(TargetResolver.dataPath(forArgument: "data/x.csv.cairn"), "data/x.csv")
        XCTAssertEqual(TargetResolver.dataPath(forArgument: "data/x.csv"), "data/x.csv")
        XCTAssertEqual(TargetResolver.dataPath(forArgument: ".cairn"), ".cairn")
    }
}
