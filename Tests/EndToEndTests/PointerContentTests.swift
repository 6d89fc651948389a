import XCTest

/// The exact pointer layout the contract promises, and how re-adding updates it.
final class PointerContentTests: EndToEndTestCase {
    func testFilePointerHasHeaderKeysInOrderAndSha256OfTheData() throws {
        let repo = try makeRepo()
        try repo.writeRandom("data/big.csv", size: 123_457, seed: 7)
        let pointer = try add(repo, "data/big.csv", extra: ["--kind", "dataset", "--desc", "raw sensor dump"])
        XCTAssertEqual(pointer.lines.first, PointerText.headerComment)
        XCTAssertEqual(pointer.keys, ["format", "path", "type", "id", "size", "kind", "desc"])
        XCTAssertEqual(pointer["format"], "1")
        XCTAssertEqual(pointer["path"], "big.csv")
        XCTAssertEqual(pointer["type"], "file")
        XCTAssertEqual(pointer["id"], "sha256:" + (try repo.sha256("data/big.csv")))
        XCTAssertEqual(pointer["size"], "123457")
        XCTAssertEqual(pointer["kind"], "dataset")
        XCTAssertEqual(pointer["desc"], "raw sensor dump")
        XCTAssertTrue(pointer.raw.hasSuffix("\n"), "pointer should end with a newline")
    }

    func testPlainFilePointerHasNoOptionalKeys() throws {
        let repo = try makeRepo()
        let pointer = try addFile(repo, "x.csv", text: "1\n")
        XCTAssertEqual(pointer.keys, ["format", "path", "type", "id", "size"])
    }

    func testDirectoryPointerKeys() throws {
        let repo = try makeRepo()
        try repo.write("data/set/a.txt", "a\n")
        let pointer = try add(repo, "data/set", extra: ["--kind", "feature"])
        XCTAssertEqual(pointer.lines.first, PointerText.headerComment)
        XCTAssertEqual(pointer.keys, ["format", "path", "type", "id", "size", "files", "kind"])
    }

    func testReAddKeepsKindAndDescUnlessNewOnesAreGiven() throws {
        let repo = try makeRepo()
        let first = try addFile(repo, "models/w.bin", text: "v1", extra: ["--kind", "model", "--desc", "first weights"])
        try repo.write("models/w.bin", "v2 weights")
        let second = try add(repo, "models/w.bin")
        XCTAssertNotEqual(first["id"], second["id"], "re-add must record the new content")
        XCTAssertEqual(second["kind"], "model")
        XCTAssertEqual(second["desc"], "first weights")
        let third = try add(repo, "models/w.bin", extra: ["--desc", "retrained"])
        XCTAssertEqual(third["kind"], "model")
        XCTAssertEqual(third["desc"], "retrained")
        XCTAssertEqual(third.keys, ["format", "path", "type", "id", "size", "kind", "desc"])
    }

    /// A description with YAML-significant characters must survive as valid YAML (cairn reads it back).
    func testDescriptionWithQuotesAndColonsStaysReadable() throws {
        let repo = try makeRepo()
        let desc = "say \"hi\": #1 'ok' \\ done"
        let pointer = try addFile(repo, "x.csv", text: "1\n", extra: ["--desc", desc])
        XCTAssertEqual(pointer["desc"], desc, pointer.raw)
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
        try repo.cairn("add", "x.csv").assertSuccess().assertStdoutLine(startingWith: "unchanged x.csv")
    }

    /// docs/formats.md: unknown keys are ignored; YAML quoting and key order are YAML's business, not ours.
    func testHandEditedButValidPointerIsAccepted() throws {
        let repo = try makeRepo()
        let pointer = try addFile(repo, "data/x.csv", text: "1\n")
        let edited = """
            # edited by hand
            size: \(pointer["size"] ?? "")
            id: '\(pointer["id"] ?? "")'
            type: file
            path: "x.csv"
            format: 1
            owner: data-team
            """
        try repo.write("data/x.csv.cairn", edited + "\n")
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
        try repo.remove("data/x.csv")
        try repo.cairn("checkout").assertSuccess()
        XCTAssertEqual(try repo.readText("data/x.csv"), "1\n")
    }

    /// A multi-line description with control characters stays one escaped YAML line and survives re-adding.
    func testMultiLineDescriptionStaysOnOneLine() throws {
        let repo = try makeRepo()
        let pointer = try addFile(repo, "x.csv", text: "1\n", extra: ["--desc", "line1\nline2\ttab \u{1}ctl ✓"])
        XCTAssertEqual(pointer.keys, ["format", "path", "type", "id", "size", "desc"], pointer.raw)
        XCTAssertEqual(pointer.lines.filter { !$0.isEmpty }.count, 7, "desc must not spill over lines:\n\(pointer.raw)")
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
        try repo.cairn("add", "x.csv").assertSuccess()
        XCTAssertEqual(try repo.readText("x.csv.cairn"), pointer.raw, "re-adding changed the description")
    }

    func testGitignoreEntryIsAddedOnceAndKeepsExistingLines() throws {
        let repo = try makeRepo()
        try repo.write("data/.gitignore", "*.tmp\n/other.csv\n")
        try addFile(repo, "data/x.csv", text: "1\n")
        try repo.write("data/x.csv", "2\n")
        try add(repo, "data/x.csv")
        try add(repo, "data/x.csv.cairn")
        XCTAssertEqual(try repo.readText("data/.gitignore"), "*.tmp\n/other.csv\n/x.csv\n")
    }

    func testGitignoreWithoutTrailingNewlineIsExtendedCleanly() throws {
        let repo = try makeRepo()
        try repo.write("data/.gitignore", "*.tmp")
        try addFile(repo, "data/x.csv", text: "1\n")
        XCTAssertEqual(try repo.readText("data/.gitignore"), "*.tmp\n/x.csv\n")
    }

    func testTargetGivenAsPointerPath() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "1\n")
        try repo.write("data/x.csv", "changed\n")
        let result = try repo.cairn("add", "data/x.csv.cairn").assertSuccess()
        result.assertStdoutLine(startingWith: "added data/x.csv (")
        XCTAssertFalse(repo.exists("data/x.csv.cairn.cairn"), "the pointer path must not be tracked as data")
        XCTAssertEqual(try repo.pointer("data/x.csv.cairn").sha256Hex, try repo.sha256("data/x.csv"))
        try repo.cairn("status", "data/x.csv.cairn").assertSuccess().assertStdoutLine("Everything is up to date.")
        try repo.remove("data/x.csv")
        try repo.cairn("checkout", "data/x.csv.cairn").assertSuccess().assertStdout(contains: "restored data/x.csv")
        XCTAssertEqual(try repo.readText("data/x.csv"), "changed\n")
    }

    /// Paths are relative to the current directory, and the printed hint must work from there.
    func testAddFromASubdirectory() throws {
        let repo = try makeRepo()
        try repo.write("data/raw/x.csv", "a,b\n")
        let result = try repo.cairn("add", "x.csv", cwd: "data/raw").assertSuccess()
        XCTAssertTrue(repo.exists("data/raw/x.csv.cairn"))
        XCTAssertEqual(try repo.readText("data/raw/.gitignore"), "/x.csv\n")
        XCTAssertEqual(try repo.pointer("data/raw/x.csv.cairn")["path"], "x.csv")
        let hint = try XCTUnwrap(result.stdoutLines.first { $0.hasPrefix("\tgit add ") }, result.transcript)
        let staged = try repo.shell(hint.trimmingCharacters(in: .whitespaces), cwd: "data/raw")
        XCTAssertEqual(staged.exitCode, 0, "the printed hint fails when run where cairn was run\n\(result.transcript)\n\(staged.transcript)")
        XCTAssertEqual(try repo.git("diff", "--cached", "--name-only").stdoutLines.sorted(),
                       ["data/raw/.gitignore", "data/raw/x.csv.cairn"])
        try repo.cairn("status", cwd: "data").assertSuccess().assertStdoutLine("Everything is up to date.")
        try repo.cairn("add", "../other/y.csv", cwd: "data/raw").assertError(containing: "no such file or directory")
    }
}
