import Basics
import XCTest
@testable import Sync
@testable import Workspace

/// ConfigFileEditor changes only the lines it must, and whatever it writes RepoConfig reads back identically.
final class RemoteConfigurationEditorTests: XCTestCase {
    let sample = """
        # team settings: keep this comment
        [core]
        \tcompression_level = 3   ; faster
        ; a comment between sections
        [remote "origin"]
        \t# the shared bucket
        \turl = s3://bucket/prefix
        \tregion = eu-west-1

        [other]
        \tkey = value
        """

    func testSetReplacesInPlaceAndKeepsEverythingElse() throws {
        var editor = try ConfigFileEditor(text: sample, file: "config")
        try editor.set(section: "remote.origin", key: "region", value: "us-east-1")
        XCTAssertEqual(editor.text, sample.replacingRegion("us-east-1") + "\n")
    }

    func testSetAddsAfterTheSectionsLastEntryNotAtTheEnd() throws {
        var editor = try ConfigFileEditor(text: sample, file: "config")
        try editor.set(section: "remote.origin", key: "endpointurl", value: "http://127.0.0.1:8333")
        let lines = editor.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let region = try XCTUnwrap(lines.firstIndex(of: "\tregion = eu-west-1"))
        XCTAssertEqual(lines[region + 1], "\tendpointurl = http://127.0.0.1:8333")
        XCTAssertEqual(try editor.values()["remote.origin.endpointurl"], "http://127.0.0.1:8333")
        XCTAssertEqual(try editor.values()["other.key"], "value", "the following section must be untouched")
        XCTAssertTrue(editor.text.hasPrefix("# team settings: keep this comment\n"))
    }

    func testSetAppendsANewSectionWithAQuotedHeader() throws {
        var editor = try ConfigFileEditor(text: sample, file: "config")
        try editor.set(section: "remote.backup.2", key: "url", value: "/mnt/backup")
        XCTAssertTrue(editor.text.hasSuffix("[remote \"backup.2\"]\n\turl = /mnt/backup\n"), editor.text)
        XCTAssertEqual(try editor.values()["remote.backup.2.url"], "/mnt/backup")
        XCTAssertTrue(editor.text.hasPrefix(sample), "the old text must stay as it was")
    }

    func testEmptyFileGetsASection() throws {
        var editor = try ConfigFileEditor(text: "", file: "config.local")
        XCTAssertEqual(editor.text, "")
        try editor.set(section: "remote.origin", key: "secret_access_key", value: "abc")
        XCTAssertEqual(editor.text, "[remote \"origin\"]\n\tsecret_access_key = abc\n")
    }

    func testRemoveSectionKeepsCommentsOutsideIt() throws {
        var editor = try ConfigFileEditor(text: sample, file: "config")
        XCTAssertTrue(try editor.removeSection("remote.origin"))
        XCTAssertEqual(editor.text, """
            # team settings: keep this comment
            [core]
            \tcompression_level = 3   ; faster
            ; a comment between sections

            [other]
            \tkey = value

            """)
        XCTAssertFalse(try editor.removeSection("remote.origin"), "a second remove finds nothing")
    }

    func testUnsetRemovesEveryOccurrenceOnlyInThatSection() throws {
        var editor = try ConfigFileEditor(text: sample + "\n[remote \"origin\"]\n\tregion = x\n", file: "config")
        XCTAssertTrue(try editor.unset(section: "remote.origin", key: "REGION".lowercased()))
        XCTAssertNil(try editor.values()["remote.origin.region"])
        XCTAssertEqual(try editor.values()["remote.origin.url"], "s3://bucket/prefix")
        XCTAssertFalse(try editor.unset(section: "other", key: "region"))
        XCTAssertEqual(try editor.values()["other.key"], "value")
    }

    func testRenameRewritesOnlyTheHeader() throws {
        var editor = try ConfigFileEditor(text: sample, file: "config")
        XCTAssertTrue(try editor.renameSection("remote.origin", to: "remote.team"))
        XCTAssertEqual(editor.text, sample.replacingOccurrencesOfHeader() + "\n")
        XCTAssertEqual(try editor.values()["remote.team.region"], "eu-west-1")
        XCTAssertNil(try editor.values()["remote.origin.url"])
    }

    /// Values that need quoting are written as Git writes them and read back byte for byte.
    func testQuotingRoundTrip() throws {
        let values = ["plain", "with space", " leading and trailing ", "hash # inside", "semi;colon", "quote \" in",
                      "back\\slash", "tab\there", "new\nline", "", "ünïcødé ✓", "ends with backslash\\", "#", "\"\""]
        for value in values {
            var editor = try ConfigFileEditor(text: sample, file: "config")
            try editor.set(section: "remote.origin", key: "keyfile", value: value)
            XCTAssertEqual(try RepoConfig.parse(editor.text, file: "config")["remote.origin.keyfile"], value,
                           "round trip of \(value.debugDescription) via \(editor.text)")
        }
        XCTAssertEqual(try ConfigFileEditor.encode("a b"), "\"a b\"")
        XCTAssertEqual(try ConfigFileEditor.encode("x\"y\\z"), "\"x\\\"y\\\\z\"")
        XCTAssertEqual(try ConfigFileEditor.encode("s3://bucket/p"), "s3://bucket/p")
    }

    func testControlCharactersAreRefusedNotWritten() throws {
        XCTAssertThrowsError(try ConfigFileEditor.encode("a\u{1}b")) {
            XCTAssertTrue("\($0)".contains("control character U+1,"), "\($0)")
        }
        var editor = try ConfigFileEditor(text: sample, file: "config")
        XCTAssertThrowsError(try editor.set(section: "remote.origin", key: "keyfile", value: "a\u{7f}")) {
            XCTAssertTrue("\($0)".hasPrefix("config: remote.origin.keyfile: the value contains"), "\($0)")
        }
        XCTAssertEqual(editor.text, sample + "\n", "a refused value changes nothing")
    }

    func testParserReadsGitEscapesAndInlineComments() throws {
        let values = try RepoConfig.parse("""
            [Remote "Mixed \\"Case\\""]
            \tURL = /data   # a comment
            \tkeyfile = "a;b" c ; comment
            \tuser = "  spaced  "
            """, file: "config")
        XCTAssertEqual(values["remote.Mixed \"Case\".url"], "/data")
        XCTAssertEqual(values["remote.Mixed \"Case\".keyfile"], "a;b c")
        XCTAssertEqual(values["remote.Mixed \"Case\".user"], "  spaced  ")
    }

    func testMalformedValuesNameFileAndLine() {
        for (text, fragment) in [("[a]\nk = \"open\n", "config:2: unterminated quote"),
                                 ("[a]\nk = a\\q\n", "config:2: unknown escape '\\q'"),
                                 ("[a]\nk = a\\\n", "config:2: a '\\' at the end of a line"),
                                 ("[a \"x]\n", "config:1: unterminated quote in the section header"),
                                 ("[a] junk\n", "config:1: unexpected text after the section header")] {
            XCTAssertThrowsError(try ConfigFileEditor(text: text, file: "config")) {
                XCTAssertTrue("\($0)".hasPrefix(fragment), "\($0) for \(text.debugDescription)")
            }
        }
    }
}

extension String {
    fileprivate func replacingRegion(_ region: String) -> String {
        replacing("\tregion = eu-west-1", with: "\tregion = \(region)")
    }

    fileprivate func replacingOccurrencesOfHeader() -> String {
        replacing("[remote \"origin\"]", with: "[remote \"team\"]")
    }
}
