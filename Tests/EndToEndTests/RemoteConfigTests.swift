import Foundation
import XCTest

/// `cairn remote add/list/default/modify/remove/rename`: what lands in which config file, what is printed,
/// and that secrets stay out of Git and out of the output.
final class RemoteConfigTests: EndToEndTestCase {
    private let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

    func testAddListDefaultAndJSON() throws {
        let repo = try makeRepo()
        try repo.cairn("remote", "add", "origin", "s3://bucket/prefix").assertSuccess()
        try repo.cairn("remote", "default").assertError(containing: "no default remote")
        try repo.cairn("remote", "add", "-d", "nas", "/mnt/nas").assertSuccess()

        let list = try repo.cairn("remote", "list").assertSuccess()
        XCTAssertEqual(list.stdoutLines, ["nas\t/mnt/nas (default)", "origin\ts3://bucket/prefix"], list.transcript)
        XCTAssertEqual(try repo.cairn("remote", "default").assertSuccess().stdoutLines, ["nas"])

        try repo.cairn("remote", "modify", "origin", "endpointurl", "http://127.0.0.1:8333").assertSuccess()
        let json = try repo.cairn("remote", "list", "--json").assertSuccess()
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(entries.map { $0["name"] as? String }, ["nas", "origin"])
        XCTAssertEqual(entries.map { $0["default"] as? Bool }, [true, false])
        XCTAssertEqual(entries[1]["url"] as? String, "s3://bucket/prefix")
        XCTAssertEqual(entries[1]["options"] as? [String: String], ["endpointurl": "http://127.0.0.1:8333"])
        XCTAssertEqual(entries[0]["options"] as? [String: String], [:])
    }

    func testEditsKeepCommentsAndOtherSections() throws {
        let repo = try makeRepo()
        let original = try repo.readText(".cairn/config") + "# my note\n[custom]\n\tkey = kept\n"
        try repo.write(".cairn/config", original)
        try repo.cairn("remote", "add", "origin", "s3://bucket").assertSuccess()
        try repo.cairn("remote", "modify", "origin", "region", "eu-west-1").assertSuccess()
        try repo.cairn("remote", "modify", "origin", "jobs", "16").assertSuccess()
        try repo.cairn("remote", "modify", "origin", "region", "us-east-1").assertSuccess()
        try repo.cairn("remote", "modify", "--unset", "origin", "jobs").assertSuccess()
        XCTAssertEqual(try repo.readText(".cairn/config"),
                       original + "[remote \"origin\"]\n\turl = s3://bucket\n\tregion = us-east-1\n")
        try repo.cairn("remote", "remove", "origin").assertSuccess()
        XCTAssertEqual(try repo.readText(".cairn/config"), original)
    }

    func testQuotedValuesRoundTrip() throws {
        let repo = try makeRepo()
        let keyfile = "/home/me/my keys/#1; \"id\" \\ed25519"
        try repo.cairn("remote", "add", "box", "ssh://me@host:2222/srv/data").assertSuccess()
        try repo.cairnArgs(["remote", "modify", "box", "keyfile", keyfile]).assertSuccess()
        XCTAssertTrue(try repo.readText(".cairn/config").contains("\tkeyfile = \"/home/me/my keys/#1; \\\"id\\\" \\\\ed25519\"\n"))
        let list = try repo.cairn("remote", "list", "-v").assertSuccess()
        XCTAssertEqual(list.stdoutLines, ["box\tssh://me@host:2222/srv/data", "  keyfile = \(keyfile)"])
        // Git reads the value the same way (the syntax is Git's; only cairn's key names with '_' are not).
        let line = try XCTUnwrap(try repo.readText(".cairn/config").split(separator: "\n").first { $0.contains("keyfile") })
        try repo.write("git-check.cfg", "[remote \"box\"]\n\(line)\n")
        let git = try repo.git("config", "--file", "git-check.cfg", "remote.box.keyfile")
        XCTAssertEqual(git.stdout, keyfile + "\n", git.transcript)
    }

    func testSecretsOnlyGoToTheIgnoredLocalFileAndAreNeverPrinted() throws {
        let repo = try makeRepo()
        try repo.cairn("remote", "add", "-d", "origin", "s3://bucket/prefix").assertSuccess()
        try repo.cairnArgs(["remote", "modify", "origin", "secret_access_key", secret]).assertError(containing:
            "cairn: error: 'secret_access_key' is a secret and would be committed with .cairn/config; use: cairn remote"
            + " modify --local origin secret_access_key ...")
        XCTAssertFalse(repo.exists(".cairn/config.local"))
        try repo.cairnArgs(["remote", "modify", "--local", "origin", "secret_access_key", secret]).assertSuccess()
        try repo.cairn("remote", "modify", "--local", "origin", "access_key_id", "AKIAEXAMPLE").assertSuccess()

        XCTAssertFalse(try repo.readText(".cairn/config").contains(secret))
        XCTAssertTrue(try repo.readText(".cairn/config.local").contains(secret))
        var info = stat()
        XCTAssertEqual(stat(repo.path(".cairn/config.local"), &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600, "config.local holds secrets: owner only")
        let status = try repo.git("status", "--porcelain", "--untracked-files=all")
        XCTAssertTrue(status.stdout.contains(".cairn/config\n"), status.transcript)
        XCTAssertFalse(status.stdout.contains("config.local"), status.transcript)

        for arguments in [["remote", "list"], ["remote", "list", "-v"], ["remote", "list", "--json"],
                          ["remote", "list", "-v", "--json"], ["remote", "default"]] {
            let result = try repo.cairnArgs(arguments).assertSuccess()
            XCTAssertFalse(result.stdout.contains(secret) || result.stderr.contains(secret), result.transcript)
            XCTAssertFalse(result.stdout.contains("AKIAEXAMPLE"), result.transcript)
        }
        try repo.cairn("remote", "list", "-v").assertStdout(contains: "  secret_access_key = ****",
                                                              "  access_key_id = ****")
        try repo.cairnArgs(["remote", "modify", "--local", "origin", "secret_access_key", "has space " + secret])
            .assertError(containing: "secret_access_key may not contain whitespace: '****'")
    }

    func testCredentialsInTheURLAreRefusedWithoutEchoingThem() throws {
        let repo = try makeRepo()
        let ssh = try repo.cairn("remote", "add", "box", "ssh://me:hunter2@host/srv")
        ssh.assertError(containing: "remote URL 'ssh://me:****@host/srv' has an embedded password")
        let s3 = try repo.cairn("remote", "add", "s3", "s3://AKIAX:hunter2@bucket/p")
        s3.assertError(containing: "has embedded credentials")
        XCTAssertFalse(ssh.stderr.contains("hunter2") || s3.stderr.contains("hunter2"))
        try repo.cairn("remote", "add", "box", "ssh://me@host/srv").assertSuccess()
        try repo.cairn("remote", "modify", "box", "password", "hunter2")
            .assertError(containing: "password authentication is not supported; use a key (keyfile)")
        XCTAssertFalse(try repo.readText(".cairn/config").contains("hunter2"))
    }

    func testDuplicateAddIsRefusedAndForceReplaces() throws {
        let repo = try makeRepo()
        try repo.cairn("remote", "add", "origin", "/mnt/a").assertSuccess()
        try repo.cairn("remote", "add", "origin", "/mnt/b")
            .assertError(containing: "remote 'origin' already exists (url /mnt/a); use --force to replace it")
        try repo.cairn("remote", "add", "--local", "mine", "/mnt/m").assertSuccess()
        try repo.cairn("remote", "add", "mine", "/mnt/x").assertError(containing: "remote 'mine' already exists")
        try repo.cairn("remote", "add", "-f", "origin", "s3://bucket").assertSuccess()
        let list = try repo.cairn("remote", "list").assertSuccess()
        XCTAssertEqual(list.stdoutLines, ["mine\t/mnt/m", "origin\ts3://bucket"])
    }

    func testBadInputIsAOneLineErrorWithExitOne() throws {
        let repo = try makeRepo()
        try repo.cairn("remote", "add", "origin", "s3://bucket").assertSuccess()
        try repo.cairn("remote", "add", "bad name", "/x").assertError(containing: "invalid remote name 'bad name'")
        try repo.cairn("remote", "add", "-x", "/x").assertUsageError()
        try repo.cairn("remote", "add", "x", "gs://b/p").assertError(containing: "unsupported scheme 'gs'")
        try repo.cairn("remote", "add", "x", "relative/path").assertError(containing: "not an absolute path or a URL")
        try repo.cairn("remote", "modify", "origin", "endpoint_url", "http://x")
            .assertError(containing: "unknown key 'endpoint_url' for an s3 remote; valid keys: url, jobs, endpointurl")
        try repo.cairn("remote", "modify", "origin", "jobs", "0").assertError(containing: "jobs must be 1 to 128")
        try repo.cairn("remote", "modify", "origin", "endpointurl", "127.0.0.1")
            .assertError(containing: "endpointurl must be an http:// or https:// URL")
        try repo.cairn("remote", "modify", "nope", "jobs", "2").assertError(containing: "remote 'nope' is not configured")
        try repo.cairn("remote", "modify", "--unset", "origin", "region")
            .assertError(containing: "'region' is not set in .cairn/config")
        try repo.cairn("remote", "remove", "nope").assertError(containing: "remote 'nope' is not configured")
        try repo.cairn("remote", "default", "nope").assertError(containing: "remote 'nope' is not configured")
        try repo.cairn("remote", "rename", "origin", "a/b").assertError(containing: "invalid remote name 'a/b'")
        XCTAssertEqual(try repo.cairn("remote", "list").stdoutLines, ["origin\ts3://bucket"])
    }

    func testUsageErrorsExitTwo() throws {
        let repo = try makeRepo()
        try repo.cairn("remote", "add", "origin", "/x").assertSuccess()
        for arguments in [["remote", "add", "origin"], ["remote", "modify", "origin", "jobs"],
                          ["remote", "modify", "--unset", "origin", "jobs", "4"], ["remote", "default", "--unset", "x"],
                          ["remote", "list", "--bogus"], ["remote", "remove"], ["remote", "frobnicate"],
                          ["remote", "default", "--local"]] {
            try repo.cairnArgs(arguments).assertUsageError()
        }
    }

    func testDefaultRenameRemoveAndLocalOverride() throws {
        let repo = try makeRepo()
        try repo.cairn("remote", "add", "a", "/mnt/a").assertSuccess()
        try repo.cairn("remote", "add", "b", "/mnt/b").assertSuccess()
        try repo.cairn("remote", "default", "a").assertSuccess()
        try repo.cairn("remote", "default", "--local", "b").assertSuccess()
        XCTAssertEqual(try repo.cairn("remote", "default").stdoutLines, ["b"], "config.local wins")
        let shadowed = try repo.cairn("remote", "default", "a").assertSuccess()
        shadowed.assertStderr(contains: "cairn: warning: .cairn/config.local sets the default remote to 'b'")

        try repo.cairn("remote", "rename", "b", "c").assertSuccess()
        XCTAssertEqual(try repo.cairn("remote", "list").stdoutLines, ["a\t/mnt/a", "c\t/mnt/b (default)"])
        try repo.cairn("remote", "default", "--local", "--unset").assertSuccess()
        XCTAssertEqual(try repo.cairn("remote", "default").stdoutLines, ["a"])
        try repo.cairn("remote", "remove", "a").assertSuccess()
        try repo.cairn("remote", "default").assertError(containing: "no default remote")
        XCTAssertFalse(try repo.readText(".cairn/config").contains("remote = "), "core.remote went with the remote")
    }

    func testOutsideACairnRepository() throws {
        let plain = try makeRepo(initialized: false)
        try plain.cairn("remote", "list").assertError(containing: "not a cairn repository: run 'cairn init'")
        try plain.cairn("remote", "add", "origin", "/x").assertError(containing: "not a cairn repository")
        XCTAssertFalse(plain.exists(".cairn"), "nothing may be created before init")
        let noGit = try makeRepo(initialized: false, git: false)
        try noGit.cairn("remote", "list").assertError(containing: "not inside a Git repository")
    }
}
