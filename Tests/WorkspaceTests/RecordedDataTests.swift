import Basics
import Foundation
import XCTest
@testable import Workspace

/// Lock outputs as tracked data, seen from Workspace: a stand-in provider (one `PATH TYPE HEX SIZE` line per output,
/// `bad` makes the file malformed) registered in place of Pipeline's, so the scanner and the resolver are tested
/// without the Pipeline module. Its file name is one no other test writes.
final class RecordedDataTests: XCTestCase {
    struct LineRecords: TrackedDataProvider {
        var fileName: String { "records.test" }

        func workTree(root: String, path: String) throws -> [TrackedData] {
            guard let bytes = FileManager.default.contents(atPath: Paths.join(root, path)) else { return [] }
            return try decode(Array(bytes), path: path, source: path)
        }

        func decode(_ bytes: [UInt8], path: String, source: String) throws -> [TrackedData] {
            let text = String(decoding: bytes, as: UTF8.self)
            return try text.split(separator: "\n").map { line in
                let fields = line.split(separator: " ").map(String.init)
                guard fields.count == 4, let type = PointerFile.DataType(rawValue: fields[1]),
                      let id = ObjectID(prefixed: "sha256:" + fields[2]), let size = UInt64(fields[3]) else {
                    throw CairnError("\(source): malformed")
                }
                let dataPath = Paths.join(Paths.parent(path), fields[0])
                return TrackedData(pointerPath: path, dataPath: dataPath,
                                   pointer: PointerFile(path: Paths.basename(dataPath), type: type, id: id, size: size),
                                   stage: "make", push: true)
            }
        }
    }

    private var root = ""
    private let hex = String(repeating: "ab", count: 32)

    override func setUpWithError() throws {
        TrackedDataProviders.register(LineRecords())
        root = NSTemporaryDirectory() + "recorded-\(UUID().uuidString)"
        try write("a.csv.cairn", PointerFile(path: "a.csv", type: .file, id: ObjectID(prefixed: "sha256:" + hex)!, size: 1).encode())
        try write("sub/records.test", "out directory \(hex) 5\nmodel.bin file \(hex) 3\n")
        // Inside a recorded output directory: data, never a pointer (the walk must not go there).
        try write("sub/out/stray.cairn", "not a pointer\n")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func write(_ relative: String, _ text: String) throws {
        let path = Paths.join(root, relative)
        try FileManager.default.createDirectory(atPath: Paths.parent(path), withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    func testTheWalkFindsRecordsAndSkipsTheDirectoriesTheyName() throws {
        let found = try PointerScanner.find(root: root)
        XCTAssertEqual(found.pointers, ["a.csv.cairn"])
        XCTAssertEqual(found.records.map(\.path), ["sub/records.test"])
        XCTAssertEqual(try PointerScanner.findPointers(root: root, under: "sub"), [])
    }

    func testEveryTargetSpellingSelectsRecordedOutputs() throws {
        func selected(_ arguments: [String]) throws -> [String] {
            try TargetResolver.trackedTargets(arguments, cwd: root, root: root).map(\.dataPath)
        }
        XCTAssertEqual(try selected([]), ["a.csv", "sub/model.bin", "sub/out"])
        XCTAssertEqual(try selected(["sub/out"]), ["sub/out"])
        XCTAssertEqual(try selected(["sub"]), ["sub/model.bin", "sub/out"])
        XCTAssertEqual(try selected(["sub/records.test"]), ["sub/model.bin", "sub/out"])
        let output = try TargetResolver.trackedTargets(["sub/model.bin"], cwd: root, root: root)[0]
        XCTAssertEqual(output.pointerPath, "sub/records.test")
        XCTAssertEqual(output.stage, "make")
        XCTAssertThrowsError(try selected(["sub/out/x.txt"])) {
            XCTAssertTrue("\($0)".contains("part of sub/out, an output of stage make"), "\($0)")
        }
        XCTAssertEqual(RecordedData.owner(of: "sub/out/deep/x", root: root)?.dataPath, "sub/out")
        XCTAssertNil(RecordedData.owner(of: "sub/other", root: root))
    }

    func testAnUnreadableRecordIsReportedAndTheRestIsStillSelected() throws {
        try write("sub/records.test", "bad\n")
        // (An unreadable record names no directories, so the walk would go into sub/out and meet the stray file.)
        try FileManager.default.removeItem(atPath: Paths.join(root, "sub/out"))
        var errors: [String] = []
        let targets = try TargetResolver.trackedTargets([], cwd: root, root: root) { errors.append($0.message) }
        XCTAssertEqual(targets.map(\.dataPath), ["a.csv"])
        XCTAssertEqual(errors, ["sub/records.test: malformed"])
        XCTAssertThrowsError(try TargetResolver.trackedTargets([], cwd: root, root: root))
    }
}
