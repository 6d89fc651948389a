import Basics
import XCTest
@testable import Workspace

final class PointerFileTests: XCTestCase {
    let id = ObjectID(hex: String(repeating: "ab", count: 32))!

    func testEncodeHasStableKeyOrder() {
        let pointer = PointerFile(path: "big.csv", type: .file, id: id, size: 42, executable: true,
                                  kind: .dataset, desc: "raw \"dump\"")
        XCTAssertEqual(pointer.encode(), """
            # cairn pointer file: the data is in cairn's store, not in Git (docs/formats.md)
            format: 1
            path: big.csv
            type: file
            id: sha256:\(id.hex)
            size: 42
            executable: true
            kind: dataset
            desc: "raw \\"dump\\""

            """)
    }

    func testRoundTripFileAndDirectory() throws {
        let file = PointerFile(path: "données 1.csv", type: .file, id: id, size: 7, desc: "line1\nline2\ttab")
        XCTAssertEqual(try PointerFile.decode(file.encode(), file: "p", expectedName: "données 1.csv"), file)
        let dir = PointerFile(path: "images", type: .directory, id: id, size: 1 << 40, files: 100_000, kind: .feature)
        XCTAssertEqual(try PointerFile.decode(dir.encode(), file: "p", expectedName: "images"), dir)
    }

    func testNamesThatYAMLWouldReadAsOtherTypesAreQuoted() throws {
        for name in ["1.5", "true", "null", "-x", "a: b", "#x", "yes"] {
            let pointer = PointerFile(path: name, type: .file, id: id, size: 1)
            XCTAssertEqual(try PointerFile.decode(pointer.encode(), file: "p", expectedName: name).path, name)
        }
    }

    func testRejectsBadInputWithTheFileName() {
        let good = PointerFile(path: "x.csv", type: .file, id: id, size: 1).encode()
        let cases: [(String, String)] = [
            ("", "not a cairn pointer"),
            ("- a\n- b\n", "not a cairn pointer"),
            ("format: [unclosed\n", "not valid YAML"),
            (good.replacingOccurrences(of: "format: 1", with: "format: 99"), "pointer format 99"),
            (good.replacingOccurrences(of: "format: 1\n", with: ""), "missing key 'format'"),
            (good.replacingOccurrences(of: "path: x.csv", with: "path: ../x.csv"), "outside the repository"),
            (good.replacingOccurrences(of: "path: x.csv", with: "path: /etc/passwd"), "absolute path"),
            (good.replacingOccurrences(of: "path: x.csv", with: "path: y.csv"), "belongs to 'x.csv'"),
            (good.replacingOccurrences(of: "sha256:", with: "md5:"), "'id' must be sha256"),
            (good.replacingOccurrences(of: "size: 1", with: "size: -3"), "'size'"),
            (good.replacingOccurrences(of: "type: file", with: "type: blob"), "'type'"),
            (good + "kind: weights\n", "'kind' must be one of"),
            (good + "executable: maybe\n", "'executable'"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try PointerFile.decode(text, file: "data/x.csv.cairn", expectedName: "x.csv"), expected) { error in
                let message = "\(error)"
                XCTAssertTrue(message.hasPrefix("data/x.csv.cairn: "), message)
                XCTAssertTrue(message.contains(expected), "\(message) should mention \(expected)")
                XCTAssertFalse(message.contains("\n"), "one line: \(message)")
            }
        }
    }

    func testDirectoryNeedsFileCount() {
        let text = PointerFile(path: "d", type: .directory, id: id, size: 1, files: 2).encode()
            .replacingOccurrences(of: "files: 2\n", with: "")
        XCTAssertThrowsError(try PointerFile.decode(text, file: "d.cairn", expectedName: "d"))
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            out += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
