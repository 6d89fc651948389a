import Basics
import Foundation
import XCTest
@testable import Remotes

/// The behaviour every `Remote` must show, written once and run against each remote kind (like restic's
/// backend/test/suite.go). A remote kind's test case creates a `RemoteConformance` with a factory that returns an
/// empty remote and calls each `check…` from its own test method, so failures are reported per behaviour.
final class RemoteConformance {
    typealias Factory = () throws -> any Remote

    private let makeRemote: Factory
    private let scratch: ScratchDirectory

    init(_ makeRemote: @escaping Factory) throws {
        self.makeRemote = makeRemote
        self.scratch = try ScratchDirectory("conformance-local")
    }

    /// Uploads `bytes` under `name` through a local file.
    private func put(_ remote: any Remote, _ name: String, _ bytes: [UInt8]) throws {
        let source = try scratch.write("up-\(UInt64.random(in: 0...UInt64.max))", bytes)
        try remote.upload(localFile: source, as: name)
    }

    /// Downloads `name` and returns its bytes.
    private func get(_ remote: any Remote, _ name: String) throws -> [UInt8] {
        let target = scratch.file("down-\(UInt64.random(in: 0...UInt64.max))")
        try remote.download(name, to: target)
        return try FS.readAll(target)
    }

    private func assertKind(_ kind: RemoteError.Kind, _ body: () throws -> Void,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let remoteError = error as? RemoteError else {
                return XCTFail("expected RemoteError.\(kind), got \(error)", file: file, line: line)
            }
            XCTAssertEqual(remoteError.kind, kind, "\(remoteError)", file: file, line: line)
            XCTAssertFalse(remoteError.description.contains("\n"), file: file, line: line)
        }
    }

    func checkRoundTripOfEmptySmallAndLargeFiles() throws {
        let remote = try makeRemote()
        let contents: [(String, [UInt8])] = [
            ("empty", []),
            ("small/one", Array("hello remote\n".utf8)),
            ("large/ab/5mib", pseudoRandomBytes(5 << 20, seed: 42)),
        ]
        for (name, bytes) in contents { try put(remote, name, bytes) }
        for (name, bytes) in contents {
            XCTAssertTrue(try remote.exists(name), name)
            let back = try get(remote, name)
            XCTAssertEqual(back.count, bytes.count, name)
            XCTAssertTrue(back == bytes, "\(name): content differs after the round trip")
        }
        let sizes = Dictionary(uniqueKeysWithValues: try remote.listAll().map { ($0.name, $0.size) })
        XCTAssertEqual(sizes, ["empty": 0, "small/one": 13, "large/ab/5mib": UInt64(5 << 20)])
    }

    func checkExists() throws {
        let remote = try makeRemote()
        XCTAssertFalse(try remote.exists("packs/aa/missing"))
        try put(remote, "packs/aa/present", [1, 2, 3])
        XCTAssertTrue(try remote.exists("packs/aa/present"))
        XCTAssertFalse(try remote.exists("packs/aa/presen"), "a prefix of a name is not the name")
        XCTAssertFalse(try remote.exists("packs/aa"), "a folder is not a file")
    }

    func checkListByPrefix() throws {
        let remote = try makeRemote()
        let names = ["packs/aa/one", "packs/aa/two", "packs/ab/three", "packs/b c/with space",
                     "packs/ünïcødé/日本", "index/x", "packsfile"]
        for (i, name) in names.enumerated() { try put(remote, name, Array(repeating: UInt8(i), count: i)) }
        XCTAssertEqual(try remote.listAll().map(\.name), names.sorted())
        XCTAssertEqual(try remote.list(prefix: "packs/aa/").map(\.name), ["packs/aa/one", "packs/aa/two"])
        XCTAssertEqual(try remote.list(prefix: "packs/a").map(\.name), ["packs/aa/one", "packs/aa/two",
                                                                        "packs/ab/three"])
        XCTAssertEqual(try remote.list(prefix: "packs").map(\.name),
                       names.filter { $0.hasPrefix("packs") }.sorted())
        XCTAssertEqual(try remote.list(prefix: "packs/b c/").map(\.name), ["packs/b c/with space"])
        XCTAssertEqual(try remote.list(prefix: "packs/ünïcødé/").map(\.name), ["packs/ünïcødé/日本"])
        XCTAssertEqual(try remote.list(prefix: "packs/ünïcødé/").first?.size, 4)
        XCTAssertEqual(try remote.list(prefix: "nothing/here/"), [])
        XCTAssertEqual(try remote.list(prefix: "packs/aa/one"), [RemoteFileInfo(name: "packs/aa/one", size: 0)])
    }

    func checkOverwriteReplacesContent() throws {
        let remote = try makeRemote()
        try put(remote, "config", Array("first version, longer".utf8))
        try put(remote, "config", Array("second".utf8))
        XCTAssertEqual(try get(remote, "config"), Array("second".utf8))
        XCTAssertEqual(try remote.listAll(), [RemoteFileInfo(name: "config", size: 6)])
    }

    func checkDelete() throws {
        let remote = try makeRemote()
        try put(remote, "locks/a", [1])
        try put(remote, "locks/b", [2])
        try remote.delete("locks/a")
        XCTAssertFalse(try remote.exists("locks/a"))
        XCTAssertEqual(try remote.listAll().map(\.name), ["locks/b"])
        try remote.delete("locks/b")
        XCTAssertEqual(try remote.listAll(), [])
    }

    func checkMissingFilesAreNotFound() throws {
        let remote = try makeRemote()
        assertKind(.notFound) { try remote.delete("packs/never/there") }
        let target = scratch.file("should-not-appear")
        assertKind(.notFound) { try remote.download("packs/never/there", to: target) }
        XCTAssertFalse(FS.exists(target), "a failed download leaves nothing at the destination")
        try put(remote, "packs/aa/p", [1])
        assertKind(.notFound) { try remote.download("packs/aa", to: target) }
        assertKind(.notFound) { try remote.delete("packs/aa") }
        XCTAssertFalse(FS.exists(target))
    }

    func checkInvalidNamesAreRejected() throws {
        let remote = try makeRemote()
        let source = try scratch.write("payload", [9, 9])
        let bad = ["", "/abs", "a/../b", "..", "a//b", "a/", "./a", "a/./b", "nul\u{0}byte",
                   "x/\(RemoteName.temporaryPrefix)123"]
        for name in bad {
            XCTAssertThrowsError(try remote.upload(localFile: source, as: name), "upload '\(name)'") { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(remote.displayName), "names the remote: \(text)")
                XCTAssertTrue(text.contains("invalid file name"), text)
            }
            XCTAssertThrowsError(try remote.exists(name), "exists '\(name)'")
            XCTAssertThrowsError(try remote.delete(name), "delete '\(name)'")
            XCTAssertThrowsError(try remote.download(name, to: scratch.file("x")), "download '\(name)'")
        }
        XCTAssertThrowsError(try remote.list(prefix: "../"))
        XCTAssertEqual(try remote.listAll(), [], "nothing was written by a rejected name")
    }

    /// A source that fails while it is being read (a directory: open works, read fails) must leave neither a
    /// file under the name nor a visible temporary file, and must not damage an existing file of that name.
    func checkFailedUploadLeavesNothingVisible() throws {
        let remote = try makeRemote()
        let unreadable = scratch.file("a-directory")
        try FS.makeDirectories(unreadable)
        XCTAssertThrowsError(try remote.upload(localFile: unreadable, as: "packs/new"))
        XCTAssertFalse(try remote.exists("packs/new"))
        XCTAssertEqual(try remote.listAll(), [])

        let vanished = scratch.file("vanished")
        XCTAssertThrowsError(try remote.upload(localFile: vanished, as: "packs/new"))
        XCTAssertEqual(try remote.listAll(), [])

        try put(remote, "packs/old", Array("intact".utf8))
        XCTAssertThrowsError(try remote.upload(localFile: unreadable, as: "packs/old"))
        XCTAssertEqual(try get(remote, "packs/old"), Array("intact".utf8))
        XCTAssertEqual(try remote.listAll().map(\.name), ["packs/old"])
    }

    func checkConcurrentUploadsOfDifferentNames() throws {
        let remote = try makeRemote()
        let count = 48
        var sources: [String] = []
        for i in 0..<count { sources.append(try scratch.write("c\(i)", pseudoRandomBytes(1000 + i * 37, seed: UInt64(i)))) }
        let paths = sources
        try Parallel.forEach(count, workers: 6) { i in
            try remote.upload(localFile: paths[i], as: "packs/\(String(format: "%02x", i % 4))/object-\(i)")
        }
        let listed = try remote.list(prefix: "packs/")
        XCTAssertEqual(listed.count, count)
        for i in stride(from: 0, to: count, by: 7) {
            let name = "packs/\(String(format: "%02x", i % 4))/object-\(i)"
            XCTAssertEqual(try get(remote, name), pseudoRandomBytes(1000 + i * 37, seed: UInt64(i)), name)
        }
    }
}
