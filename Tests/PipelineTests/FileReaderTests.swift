import Foundation
import XCTest
@testable import Pipeline

final class FileReaderTests: PipelineTestCase {
    func testSymlinksAndFIFOsAndDirectoriesAreRefused() throws {
        try write("real.yaml", "stages: {}\n")
        try FileManager.default.createSymbolicLink(atPath: root + "/cairn.yaml", withDestinationPath: root + "/real.yaml")
        assertThrows("cairn.yaml: is a symbolic link; cairn reads only regular files here") {
            _ = try PipelineParser.load(root: root, path: "cairn.yaml")
        }
        XCTAssertEqual(mkfifo(root + "/fifo.yaml", 0o600), 0)
        assertThrows("fifo.yaml: is a FIFO, not a regular file; cairn reads only regular files here") {
            _ = try PipelineFileReader.read(root + "/fifo.yaml", displayName: "fifo.yaml")
        }
        try FileManager.default.createDirectory(atPath: root + "/dir", withIntermediateDirectories: true)
        assertThrows("dir: is a directory, not a regular file; cairn reads only regular files here") {
            _ = try PipelineFileReader.read(root + "/dir", displayName: "dir")
        }
        assertThrows("missing.yaml: does not exist") {
            _ = try PipelineFileReader.read(root + "/missing.yaml", displayName: "missing.yaml")
        }
    }

    func testSizeLimit() throws {
        try write("big.yaml", String(repeating: "#", count: PipelineFileReader.maxFileSize + 1))
        assertThrows("big.yaml: \(PipelineFileReader.maxFileSize + 1) bytes is over the limit of \(PipelineFileReader.maxFileSize) bytes for this file") {
            _ = try PipelineFileReader.read(root + "/big.yaml", displayName: "big.yaml")
        }
    }

    func testDeepNestingIsRefusedBeforeComposing() throws {
        let flow = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        assertThrows("deep.yaml:1: nested deeper than 256 levels") {
            _ = try PipelineFileReader.composeYAML("a: " + flow + "\n", displayName: "deep.yaml")
        }
        // Between the scan's loose bound and the exact limit: refused by the exact check on the tree.
        let medium = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        assertThrows("deep.yaml:1: nested deeper than 256 levels") {
            _ = try PipelineFileReader.composeYAML(medium + "\n", displayName: "deep.yaml")
        }
        var block = ""
        for level in 0..<1100 { block += String(repeating: " ", count: level) + "k\(level):\n" }
        XCTAssertThrowsError(try PipelineFileReader.composeYAML(block, displayName: "deep.yaml"))
        // Real nesting well inside the limit passes.
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        XCTAssertNoThrow(try PipelineFileReader.composeYAML(fine + "\n", displayName: "ok.yaml"))
    }

    func testAliasBombIsRefused() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<30 { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        assertThrows("bomb.yaml:27: more than 256 aliases; refusing to expand them") {
            _ = try PipelineFileReader.composeYAML(text, displayName: "bomb.yaml")
        }
        var expanding = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<9 { expanding += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        // 10^9 values from 80 aliases: the node budget stops the expansion (a small budget keeps the test fast).
        assertThrows("bomb.yaml: expands to more than 10000 values (aliases?); refusing to load it") {
            _ = try YAMLDocument.compose(expanding, file: "bomb.yaml", nodeLimit: 10_000)
        }
    }

    func testMergeKeysInStages() throws {
        let pipeline = try parse("""
            stages:
              a: &common
                cmd: echo common
                deps: [x]
              b:
                <<: *common
                cmd: echo b
            """)
        XCTAssertEqual(pipeline.stages.map(\.commands), [["echo common"], ["echo b"]])
        XCTAssertEqual(pipeline.stages[1].deps.map(\.repoPath), ["x"])
    }
}
