import XCTest

/// `cairn add` of the different kinds of targets, and what it prints.
final class AddTests: EndToEndTestCase {
    func testAddFileWritesPointerGitignoreAndHint() throws {
        let repo = try makeRepo()
        try repo.writeRandom("data/big.csv", size: 1 << 20, seed: 1)
        let result = try repo.cairn("add", "data/big.csv").assertSuccess()
        result.assertStdoutLine("added data/big.csv (1.0 MiB)")
        result.assertStdout(contains: "To track the changes with git, run:\n\n\tgit add data/big.csv.cairn data/.gitignore")
        XCTAssertTrue(repo.exists("data/big.csv.cairn"))
        XCTAssertEqual(try repo.readText("data/.gitignore"), "/big.csv\n")
        XCTAssertTrue(result.stderr.isEmpty, "a piped add prints nothing on stderr\n\(result.transcript)")
    }

    /// The hint is meant to be pasted: running it must stage exactly the pointer and the .gitignore, and Git must
    /// then ignore the data.
    func testPrintedGitAddHintWorks() throws {
        let repo = try makeRepo()
        try repo.write("data/x.csv", "a,b\n1,2\n")
        let result = try repo.cairn("add", "data/x.csv").assertSuccess()
        let hint = try XCTUnwrap(result.stdoutLines.first { $0.hasPrefix("\tgit add ") }, result.transcript)
        try repo.shell(hint.trimmingCharacters(in: .whitespaces)).assertSuccess()
        let staged = try repo.git("diff", "--cached", "--name-only").stdoutLines.sorted()
        XCTAssertEqual(staged, ["data/.gitignore", "data/x.csv.cairn"])
        XCTAssertEqual(try repo.git("check-ignore", "-q", "data/x.csv").exitCode, 0, "git must ignore the data")
    }

    func testReAddOfUnchangedFileSaysUnchanged() throws {
        let repo = try makeRepo()
        let first = try addFile(repo, "data/x.csv", text: "a,b\n")
        try repo.ageFile("data/x.csv.cairn")
        let mtime = repo.mtimeNs("data/x.csv.cairn")
        let result = try repo.cairn("add", "data/x.csv").assertSuccess()
        result.assertStdoutLine(startingWith: "unchanged data/x.csv")
        XCTAssertEqual(try repo.pointer("data/x.csv.cairn").raw, first.raw)
        XCTAssertEqual(repo.mtimeNs("data/x.csv.cairn"), mtime, "an unchanged pointer should not be rewritten")
    }

    func testAddDirectoryRecordsTreeSizeAndFileCount() throws {
        let repo = try makeRepo()
        try repo.write("data/images/a.txt", "alpha\n")
        try repo.write("data/images/b.txt", "bravo!\n")
        try repo.writeRandom("data/images/c.bin", size: 5000, seed: 2)
        let result = try repo.cairn("add", "data/images").assertSuccess()
        result.assertStdout(contains: "added data/images")
        result.assertStdout(contains: "git add data/images.cairn data/.gitignore")
        let pointer = try repo.pointer("data/images.cairn")
        XCTAssertEqual(pointer["type"], "directory")
        XCTAssertEqual(pointer["path"], "images")
        XCTAssertEqual(pointer["size"], "\(6 + 7 + 5000)")
        XCTAssertEqual(pointer["files"], "3")
        XCTAssertTrue(PointerText.isSHA256(pointer["id"]), pointer.raw)
        XCTAssertEqual(try repo.readText("data/.gitignore"), "/images\n")
    }

    func testAddNestedDirectoriesRoundTrips() throws {
        let repo = try makeRepo()
        let files = ["data/tree/top.txt", "data/tree/a/one.txt", "data/tree/a/b/two.txt", "data/tree/a/b/c/three.bin"]
        for (index, file) in files.enumerated() { try repo.writeRandom(file, size: 1000 + index * 777, seed: UInt64(index)) }
        let hashes = try files.map { try repo.sha256($0) }
        let pointer = try add(repo, "data/tree")
        XCTAssertEqual(pointer["files"], "\(files.count)")
        try repo.remove("data/tree")
        let result = try repo.cairn("checkout", "data/tree").assertSuccess()
        result.assertStdout(contains: "restored data/tree")
        for (index, file) in files.enumerated() { try assertContent(repo, file, sha256: hashes[index]) }
    }

    /// Equal content gives an equal tree id, wherever the directory lives; different content a different id.
    func testDirectoryIdIsContentAddressed() throws {
        let repo = try makeRepo()
        for dir in ["one", "two"] {
            try repo.write("\(dir)/set/a.txt", "same\n")
            try repo.write("\(dir)/set/sub/b.txt", "also same\n")
        }
        try repo.write("three/set/a.txt", "different\n")
        try repo.write("three/set/sub/b.txt", "also same\n")
        let ids = try ["one", "two", "three"].map { try add(repo, "\($0)/set")["id"] }
        XCTAssertEqual(ids[0], ids[1])
        XCTAssertNotEqual(ids[0], ids[2])
    }

    func testAddEmptyFile() throws {
        let repo = try makeRepo()
        let pointer = try addFile(repo, "data/empty.csv", text: "")
        XCTAssertEqual(pointer["size"], "0")
        XCTAssertEqual(pointer["id"], "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        try repo.remove("data/empty.csv")
        try repo.cairn("checkout", "data/empty.csv").assertSuccess()
        XCTAssertEqual(try repo.read("data/empty.csv"), [])
    }

    func testAddEmptyDirectory() throws {
        let repo = try makeRepo()
        try repo.makeDirectory("data/nothing")
        let pointer = try add(repo, "data/nothing")
        XCTAssertEqual(pointer["type"], "directory")
        XCTAssertEqual(pointer["size"], "0")
        XCTAssertEqual(pointer["files"], "0")
        try repo.remove("data/nothing")
        try repo.cairn("checkout", "data/nothing").assertSuccess()
        XCTAssertTrue(repo.isDirectory("data/nothing"), "checkout should recreate the empty directory")
    }

    func testNamesWithSpacesAndNonASCII() throws {
        let repo = try makeRepo()
        let names = ["data/my file.csv", "data/données é.csv", "data/日本語 データ/行.txt"]
        for (index, name) in names.enumerated() { try repo.writeRandom(name, size: 300 + index, seed: UInt64(index)) }
        let hashes = try names.map { try repo.sha256($0) }
        try repo.cairn("add", names[0], names[1], "data/日本語 データ").assertSuccess()
        let pointer = try repo.pointer("data/my file.csv.cairn")
        XCTAssertEqual(pointer["path"], "my file.csv")
        XCTAssertEqual(pointer.sha256Hex, hashes[0])
        XCTAssertEqual(try repo.pointer("data/données é.csv.cairn")["path"], "données é.csv")
        for name in [names[0], names[1], "data/日本語 データ"] {
            XCTAssertEqual(try repo.git("check-ignore", "-q", name).exitCode, 0, "git does not ignore \(name)")
            XCTAssertEqual(try repo.git("check-ignore", "-q", name + ".cairn").exitCode, 1, "git ignores \(name).cairn")
        }
        for name in names { try repo.remove(name) }
        try repo.remove("data/日本語 データ")
        try repo.cairn("checkout").assertSuccess()
        for (index, name) in names.enumerated() { try assertContent(repo, name, sha256: hashes[index]) }
    }

    /// Git treats `#`, `[`, `*` and `!` in .gitignore specially; the entry must match exactly this name and
    /// nothing else.
    func testNamesWithGitignoreMetacharactersAreIgnoredExactly() throws {
        let repo = try makeRepo()
        try repo.write("data/#run[1]*.csv", "x\n")
        try repo.write("data/!keep.csv", "y\n")
        try repo.write("data/#run1-other.csv", "z\n")
        try repo.cairn("add", "data/#run[1]*.csv", "data/!keep.csv").assertSuccess()
        XCTAssertEqual(try repo.git("check-ignore", "-q", "data/#run[1]*.csv").exitCode, 0)
        XCTAssertEqual(try repo.git("check-ignore", "-q", "data/!keep.csv").exitCode, 0)
        XCTAssertEqual(try repo.git("check-ignore", "-q", "data/#run1-other.csv").exitCode, 1,
                       "the .gitignore entry is a glob that also hides an unrelated file")
    }

    func testExecutableFileIsRecordedAndRestored() throws {
        let repo = try makeRepo()
        try repo.write("tools/run.sh", "#!/bin/sh\necho hi\n")
        try repo.chmod("tools/run.sh", 0o755)
        let pointer = try add(repo, "tools/run.sh")
        XCTAssertEqual(pointer.keys, ["format", "path", "type", "id", "size", "executable"])
        XCTAssertEqual(pointer["executable"], "true")
        try repo.remove("tools/run.sh")
        try repo.cairn("checkout", "tools/run.sh").assertSuccess()
        XCTAssertTrue(repo.isExecutable("tools/run.sh"), "checkout must restore the executable bit")
        XCTAssertEqual(try repo.shell("./tools/run.sh").stdout, "hi\n")
    }
}
