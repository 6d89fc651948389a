import Foundation
import XCTest
import Basics
@testable import Pipeline

/// A temporary work tree for parsing tests: write files, parse cairn.yaml, check errors by their exact text.
class PipelineTestCase: XCTestCase {
    var root = ""

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-pipeline-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    func write(_ path: String, _ text: String) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: false, encoding: .utf8)
    }

    func parse(_ yaml: String, path: String = "cairn.yaml", options: InterpolationOptions = InterpolationOptions(),
               file: StaticString = #filePath, line: UInt = #line) throws -> PipelineFile {
        try write(path, yaml)
        return try PipelineParser.load(root: root, path: path, options: options)
    }

    /// Asserts that parsing fails with exactly `message`.
    func assertError(_ yaml: String, _ message: String, path: String = "cairn.yaml", file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try parse(yaml, path: path)
            XCTFail("expected the error: \(message)", file: file, line: line)
        } catch {
            XCTAssertEqual("\(error)", message, file: file, line: line)
        }
    }

    func assertThrows(_ message: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
        do {
            try body()
            XCTFail("expected the error: \(message)", file: file, line: line)
        } catch {
            XCTAssertEqual("\(error)", message, file: file, line: line)
        }
    }
}
