import Basics
import Foundation
import XCTest

final class ExecutableSearchTests: XCTestCase {
    func testFindsTheFirstExecutableRegularFileAndSkipsEverythingElse() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("search-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        for folder in ["a", "b", "c"] { try FileManager.default.createDirectory(atPath: "\(base)/\(folder)", withIntermediateDirectories: true) }
        try FileManager.default.createDirectory(atPath: "\(base)/a/tool", withIntermediateDirectories: true)  // a directory
        FileManager.default.createFile(atPath: "\(base)/b/tool", contents: Data("x".utf8))                    // not executable
        FileManager.default.createFile(atPath: "\(base)/c/tool", contents: Data("x".utf8), attributes: [.posixPermissions: 0o755])
        XCTAssertEqual(ExecutableSearch.find("tool", path: "relative:\(base)/a:\(base)/b:\(base)/c/"), "\(base)/c/tool")
        XCTAssertNil(ExecutableSearch.find("tool", path: "\(base)/a:\(base)/b"))
        XCTAssertNotNil(ExecutableSearch.find("sh", path: ""), "an empty PATH searches the default one")
        XCTAssertNotNil(ExecutableSearch.find("sh", path: nil))
    }
}
