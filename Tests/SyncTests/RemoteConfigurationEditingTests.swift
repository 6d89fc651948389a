import Basics
import XCTest
@testable import Sync
@testable import Workspace

/// The edits behind `cairn remote ...`, on a real `.cairn/` directory: which file changes, and how.
final class RemoteConfigurationEditingTests: XCTestCase {
    var dotCairn = ""
    var files: RemoteConfigurationFiles { RemoteConfigurationFiles(dotCairn: dotCairn) }
    let sharedText = "# keep me\n[core]\n\tcompression_level = 1\n"

    override func setUpWithError() throws {
        dotCairn = FS.currentDirectory() + "/.tmp-remotecfg-\(UInt32.random(in: 0...UInt32.max))"
        try FS.makeDirectories(dotCairn)
        try FS.writeAtomically(dotCairn + "/config", sharedText)
    }

    override func tearDownWithError() throws { try FS.removeTree(dotCairn) }

    private func shared() throws -> String { try FS.readString(dotCairn + "/config") }
    private func local() throws -> String { try FS.readString(dotCairn + "/config.local") }

    func testAddWritesOnlyTheSharedFileAndKeepsItsComments() throws {
        try RemoteConfiguration.add(name: "origin", url: " s3://bucket/p ", scope: .shared, force: false,
                                    makeDefault: false, files: files)
        XCTAssertEqual(try shared(), sharedText + "[remote \"origin\"]\n\turl = s3://bucket/p\n")
        XCTAssertFalse(FS.exists(dotCairn + "/config.local"), "config.local is created only when written")
        XCTAssertNil(RemoteConfiguration.defaultName(config: try files.load()), "the first remote is not the default")
    }

    func testAddRefusesADuplicateInEitherFileUnlessForced() throws {
        try RemoteConfiguration.add(name: "origin", url: "/a", scope: .local, force: false, makeDefault: true,
                                    files: files)
        XCTAssertThrowsError(try RemoteConfiguration.add(name: "origin", url: "/b", scope: .shared, force: false,
                                                         makeDefault: false, files: files)) {
            XCTAssertEqual("\($0)", "remote 'origin' already exists (url /a); use --force to replace it")
        }
        try RemoteConfiguration.add(name: "origin", url: "/b", scope: .shared, force: true, makeDefault: false,
                                    files: files)
        let remote = try RemoteConfiguration.remote(named: nil, config: try files.load())
        XCTAssertEqual(remote.url.kind, .local(path: "/b"), "--force replaces the local definition too")
        XCTAssertEqual(try local(), "[core]\n\tremote = origin\n", "the default stays")
    }

    func testLocalFileIsPrivate() throws {
        try RemoteConfiguration.add(name: "origin", url: "s3://bucket", scope: .shared, force: false,
                                    makeDefault: false, files: files)
        try RemoteConfiguration.set(name: "origin", key: "secret_access_key", value: "abc", scope: .local, files: files)
        let mode = try XCTUnwrap(try FS.stat(dotCairn + "/config.local")).mode & 0o777
        XCTAssertEqual(mode, 0o600)
        XCTAssertEqual(try local(), "[remote \"origin\"]\n\tsecret_access_key = abc\n")
    }

    func testSecretsAreRefusedForTheSharedFile() throws {
        try RemoteConfiguration.add(name: "origin", url: "s3://bucket", scope: .shared, force: false,
                                    makeDefault: false, files: files)
        let before = try shared()
        for key in ["secret_access_key", "access_key_id", "session_token"] {
            XCTAssertThrowsError(try RemoteConfiguration.set(name: "origin", key: key, value: "v", scope: .shared,
                                                             files: files)) {
                XCTAssertEqual("\($0)", "'\(key)' is a secret and would be committed with .cairn/config; use: "
                    + "cairn remote modify --local origin \(key) ...")
            }
        }
        XCTAssertEqual(try shared(), before, "a refused write changes nothing")
    }

    func testChangingTheURLKindRequiresRemovingOptionsOfTheOldKind() throws {
        try RemoteConfiguration.add(name: "origin", url: "s3://bucket", scope: .shared, force: false,
                                    makeDefault: false, files: files)
        try RemoteConfiguration.set(name: "origin", key: "Region", value: "eu-west-1", scope: .shared, files: files)
        XCTAssertThrowsError(try RemoteConfiguration.set(name: "origin", key: "url", value: "ssh://h/p",
                                                         scope: .shared, files: files)) {
            XCTAssertTrue("\($0)".contains("'region' (in \(self.dotCairn)/config) does not apply to ssh remotes"), "\($0)")
        }
        try RemoteConfiguration.unset(name: "origin", key: "region", scope: .shared, files: files)
        try RemoteConfiguration.set(name: "origin", key: "url", value: "ssh://h/p", scope: .shared, files: files)
        XCTAssertEqual(try shared(), sharedText + "[remote \"origin\"]\n\turl = ssh://h/p\n")
    }

    func testUnsetNamesTheOtherFileAndKeepsTheURL() throws {
        try RemoteConfiguration.add(name: "origin", url: "s3://bucket", scope: .shared, force: false,
                                    makeDefault: false, files: files)
        try RemoteConfiguration.set(name: "origin", key: "profile", value: "me", scope: .local, files: files)
        XCTAssertThrowsError(try RemoteConfiguration.unset(name: "origin", key: "profile", scope: .shared, files: files)) {
            XCTAssertEqual("\($0)", "remote 'origin': 'profile' is not set in .cairn/config; it is set in "
                + ".cairn/config.local (add --local)")
        }
        XCTAssertThrowsError(try RemoteConfiguration.unset(name: "origin", key: "url", scope: .shared, files: files)) {
            XCTAssertTrue("\($0)".contains("'url' cannot be unset"), "\($0)")
        }
        try RemoteConfiguration.unset(name: "origin", key: "profile", scope: .local, files: files)
        XCTAssertEqual(try local(), "", "an emptied section is dropped")
    }

    func testRemoveAndRenameMoveTheDefaultInBothFiles() throws {
        try RemoteConfiguration.add(name: "a", url: "/a", scope: .shared, force: false, makeDefault: true, files: files)
        try RemoteConfiguration.add(name: "b", url: "/b", scope: .shared, force: false, makeDefault: false, files: files)
        try RemoteConfiguration.set(name: "a", key: "jobs", value: "8", scope: .local, files: files)
        try RemoteConfiguration.setDefault(name: "a", scope: .local, files: files)

        try RemoteConfiguration.rename(from: "a", to: "c", files: files)
        var config = try files.load()
        XCTAssertEqual(RemoteConfiguration.defaultName(config: config), "c")
        XCTAssertEqual(config.values["core.remote"], "c")
        XCTAssertEqual(try RemoteConfiguration.remote(named: "c", config: config).options, ["jobs": "8"])
        XCTAssertThrowsError(try RemoteConfiguration.rename(from: "c", to: "b", files: files))

        try RemoteConfiguration.remove(name: "c", files: files)
        config = try files.load()
        XCTAssertNil(RemoteConfiguration.defaultName(config: config))
        XCTAssertEqual(RemoteConfiguration.names(config: config), ["b"])
        XCTAssertEqual(try shared(), sharedText + "[remote \"b\"]\n\turl = /b\n")
        XCTAssertThrowsError(try RemoteConfiguration.remove(name: "c", files: files)) {
            XCTAssertEqual("\($0)", "remote 'c' is not configured; `cairn remote list` shows them")
        }
    }

    func testSharedDefaultWarnsWhenTheLocalOneOverridesIt() throws {
        try RemoteConfiguration.add(name: "a", url: "/a", scope: .shared, force: false, makeDefault: false, files: files)
        try RemoteConfiguration.add(name: "b", url: "/b", scope: .shared, force: false, makeDefault: false, files: files)
        XCTAssertNil(try RemoteConfiguration.setDefault(name: "a", scope: .local, files: files))
        let warning = try RemoteConfiguration.setDefault(name: "b", scope: .shared, files: files)
        XCTAssertEqual(warning, ".cairn/config.local sets the default remote to 'a', which overrides this"
            + " (cairn remote default --local --unset removes it)")
        XCTAssertThrowsError(try RemoteConfiguration.setDefault(name: "zzz", scope: .shared, files: files))
    }
}
