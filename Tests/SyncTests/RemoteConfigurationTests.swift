import Basics
import Remotes
import XCTest
@testable import Sync
@testable import Workspace

/// The API the push/pull layer uses, and the rules for names, URLs, keys, values and secrets.
final class RemoteConfigurationTests: XCTestCase {
    private func config(_ shared: String, local: String = "") throws -> RepoConfig {
        var config = RepoConfig()
        config.merge(try RepoConfig.parse(shared, file: "/r/.cairn/config"), from: "/r/.cairn/config")
        config.merge(try RepoConfig.parse(local, file: "/r/.cairn/config.local"), from: "/r/.cairn/config.local")
        return config
    }

    func testDefaultRemoteWithLocalOptionsOverShared() throws {
        let config = try config("""
            [core]
            \tremote = origin
            [remote "origin"]
            \turl = s3://bucket/prefix
            \tregion = eu-west-1
            [remote "nas"]
            \turl = /mnt/nas
            """, local: """
            [remote "origin"]
            \tregion = us-east-1
            \tsecret_access_key = s3cr3t
            """)
        let origin = try RemoteConfiguration.remote(named: nil, config: config)
        XCTAssertEqual(origin.name, "origin")
        XCTAssertEqual(origin.url.kind, .s3(bucket: "bucket", prefix: "prefix"))
        XCTAssertEqual(origin.options, ["region": "us-east-1", "secret_access_key": "s3cr3t"])
        XCTAssertEqual(try RemoteConfiguration.remote(named: "nas", config: config).url.kind, .local(path: "/mnt/nas"))
        XCTAssertEqual(try RemoteConfiguration.all(config: config).map(\.name), ["nas", "origin"])
        XCTAssertEqual(RemoteConfiguration.defaultName(config: config), "origin")
    }

    func testNamesWithDotsSplitAtTheLastDot() throws {
        let config = try config("[remote \"team.v2\"]\n\turl = /a\n\tjobs = 4\n")
        let remote = try RemoteConfiguration.remote(named: "team.v2", config: config)
        XCTAssertEqual(remote.options, ["jobs": "4"])
    }

    func testErrorsAreOneLineAndNameTheProblem() throws {
        let empty = try config("[core]\n\tcompression_level = 1\n")
        assertError(try RemoteConfiguration.remote(named: nil, config: empty),
                    "no default remote: pass -r NAME or run `cairn remote default NAME`")
        assertError(try RemoteConfiguration.remote(named: "x", config: empty),
                    "remote 'x' is not configured; `cairn remote list` shows them")
        let dangling = try config("[core]\n\tremote = gone\n")
        assertError(try RemoteConfiguration.remote(named: nil, config: dangling), "remote 'gone' (the default")
        let badURL = try config("[remote \"a\"]\n\turl = /ok\n", local: "[remote \"a\"]\n\turl = gs://b\n")
        assertError(try RemoteConfiguration.remote(named: "a", config: badURL),
                    "/r/.cairn/config.local: remote 'a': remote URL 'gs://b': unsupported scheme 'gs'")
        let typo = try config("[remote \"a\"]\n\turl = s3://bucket\n\tendpoint_url = http://x\n")
        assertError(try RemoteConfiguration.remote(named: "a", config: typo),
                    "/r/.cairn/config: remote 'a': unknown key 'endpoint_url' for an s3 remote; valid keys: url, jobs,")
        let noURL = try config("[remote \"a\"]\n\tjobs = 2\n")
        assertError(try RemoteConfiguration.all(config: noURL), "/r/.cairn/config: remote 'a' has no url")
    }

    func testKeysArePerKind() throws {
        let s3 = RemoteURL.Kind.s3(bucket: "bucket", prefix: "")
        let ssh = RemoteURL.Kind.ssh(user: nil, host: "h", port: nil, path: "/p")
        let local = RemoteURL.Kind.local(path: "/p")
        for key in ["url", "jobs", "endpointurl", "region", "profile", "access_key_id", "secret_access_key",
                    "session_token"] {
            XCTAssertNoThrow(try RemoteConfiguration.checkKey(key, remote: "r", kind: s3), key)
        }
        for key in ["url", "jobs", "user", "port", "keyfile", "knownhostsfile", "connections"] {
            XCTAssertNoThrow(try RemoteConfiguration.checkKey(key, remote: "r", kind: ssh), key)
        }
        for (key, kind) in [("port", s3), ("region", ssh), ("endpointurl", local), ("user", local), ("nope", s3)] {
            XCTAssertThrowsError(try RemoteConfiguration.checkKey(key, remote: "r", kind: kind), key) {
                XCTAssertTrue("\($0)".contains("unknown key '\(key)'"), "\($0)")
            }
        }
        assertError(try RemoteConfiguration.checkKey("password", remote: "r", kind: ssh),
                    "remote 'r': password authentication is not supported; use a key (keyfile)")
        assertError(try RemoteConfiguration.checkKey("x", remote: "r", kind: local),
                    "unknown key 'x' for a local remote; valid keys: url, jobs")
    }

    func testValuesAreCheckedWhereCheap() {
        for (key, value) in [("port", "0"), ("port", "65536"), ("port", "22x"), ("jobs", "0"), ("jobs", "129"),
                             ("connections", "-1"), ("endpointurl", "127.0.0.1:8333"), ("endpointurl", "http://"),
                             ("region", ""), ("region", "eu west"), ("url", "ftp://x")] {
            XCTAssertThrowsError(try RemoteConfiguration.checkValue(value, key: key, remote: "r"), "\(key)=\(value)")
        }
        for (key, value) in [("port", "1"), ("port", "65535"), ("jobs", "128"), ("connections", "1"),
                             ("endpointurl", "https://s3.example.com"), ("endpointurl", "HTTP://127.0.0.1:8333"),
                             ("keyfile", "/home/me/my keys/id"), ("url", "ssh://me@h:22/p")] {
            XCTAssertNoThrow(try RemoteConfiguration.checkValue(value, key: key, remote: "r"), "\(key)=\(value)")
        }
    }

    func testSecretValuesNeverAppearInMessages() {
        XCTAssertThrowsError(try RemoteConfiguration.checkValue("has space", key: "secret_access_key", remote: "r")) {
            XCTAssertFalse("\($0)".contains("has space"), "\($0)")
        }
    }

    func testSecretsDetection() {
        for key in ["secret_access_key", "session_token", "password", "access_key_id", "SECRET_ACCESS_KEY"] {
            XCTAssertTrue(RemoteConfiguration.isSecret(key), key)
        }
        for key in ["url", "region", "endpointurl", "profile", "keyfile", "user"] {
            XCTAssertFalse(RemoteConfiguration.isSecret(key), key)
        }
        XCTAssertEqual(RemoteConfiguration.displayed("s3cr3t", key: "session_token"), "****")
        XCTAssertEqual(RemoteConfiguration.displayed("eu", key: "region"), "eu")
    }

    func testNames() {
        for good in ["origin", "a", "S3.backup_2-x", String(repeating: "n", count: 64), "0day"] {
            XCTAssertNoThrow(try RemoteConfiguration.checkName(good), good)
        }
        for bad in ["", "-x", ".x", "_x", "a b", "a/b", "a\"b", "é", String(repeating: "n", count: 65)] {
            XCTAssertThrowsError(try RemoteConfiguration.checkName(bad), bad)
        }
    }

    func testCredentialsInURLsAreRefusedAndMasked() {
        assertError(try RemoteConfiguration.parseURL("ssh://me:hunter2@host/p", remote: "r"),
                    "remote URL 'ssh://me:****@host/p' has an embedded password")
        assertError(try RemoteConfiguration.parseURL("s3://AKIA:wJalr@bucket/p", remote: "r"),
                    "remote URL 's3://****@bucket/p' has embedded credentials")
        for url in ["ssh://me:hunter2@host/p", "s3://AKIA:wJalr@bucket/p"] {
            XCTAssertThrowsError(try RemoteConfiguration.parseURL(url, remote: "r")) {
                XCTAssertFalse("\($0)".contains("hunter2") || "\($0)".contains("wJalr"), "\($0)")
            }
        }
        XCTAssertNoThrow(try RemoteConfiguration.parseURL("ssh://me@host:2222/p", remote: "r"))
    }

    private func assertError<T>(_ body: @autoclosure () throws -> T, _ fragment: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(fragment), "\(text) lacks \(fragment)", file: file, line: line)
            XCTAssertFalse(text.contains("\n"), "not one line: \(text)", file: file, line: line)
        }
    }
}
