import Basics
import XCTest
@testable import Remotes

/// Building SFTP settings from a URL and options, the ssh command line, and reading ssh's error messages.
final class SFTPSettingsTests: XCTestCase {
    private let environment = ["HOME": "/home/ada", "PATH": "/usr/bin:/bin"]

    private func resolve(user: String? = nil, host: String = "example.org", port: Int? = nil,
                         path: String = "/srv/cairn", _ options: [String: String] = [:]) throws -> SFTPSettings {
        try SFTPSettings.resolve(user: user, host: host, port: port, path: path, options: options,
                                 environment: environment)
    }

    func testDisplayNameShowsUserAndPortOnlyWhenGiven() throws {
        XCTAssertEqual(try resolve().displayName, "ssh://example.org/srv/cairn")
        XCTAssertEqual(try resolve(user: "ada", port: 2222).displayName, "ssh://ada@example.org:2222/srv/cairn")
        XCTAssertEqual(try resolve(host: "::1").displayName, "ssh://[::1]/srv/cairn")
        XCTAssertEqual(try resolve(["user": "bob", "port": "22"]).displayName, "ssh://bob@example.org:22/srv/cairn")
    }

    func testFromAParsedURL() throws {
        let remote = try SFTPRemote(url: try RemoteURL.parse("ssh://ada@[::1]:2222/data/team"), options: [:],
                                    environment: environment)
        XCTAssertEqual(remote.settings.user, "ada")
        XCTAssertEqual(remote.settings.host, "::1")
        XCTAssertEqual(remote.settings.port, 2222)
        XCTAssertEqual(remote.settings.path, "/data/team")
        XCTAssertEqual(remote.displayName, "ssh://ada@[::1]:2222/data/team")
        XCTAssertThrowsError(try SFTPRemote(url: try RemoteURL.parse("s3://bucket/x"), options: [:],
                                            environment: environment))
    }

    func testTildePathsAreRelativeToTheHomeFolder() throws {
        XCTAssertEqual(try resolve(path: "/~/cairn").path, "cairn")
        XCTAssertEqual(try resolve(path: "/~").path, ".")
        XCTAssertEqual(try resolve(path: "/~/cairn").displayName, "ssh://example.org/~/cairn")
        XCTAssertEqual(try resolve(path: "/").path, "/")
        let remote = SFTPRemote(settings: try resolve(path: "/"))
        XCTAssertEqual(remote.path(of: "packs/aa"), "/packs/aa")
        XCTAssertEqual(SFTPRemote(settings: try resolve(path: "/~")).path(of: "x"), "./x")
    }

    func testOptionsAreCheckedAndMayNotContradictTheURL() throws {
        func message(_ body: () throws -> SFTPSettings) -> String {
            do { _ = try body(); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(message { try resolve(["port": "0"]) }.contains("option port: invalid value '0'"))
        XCTAssertTrue(message { try resolve(["port": "ssh"]) }.contains("option port"))
        XCTAssertTrue(message { try resolve(port: 22, ["port": "2222"]) }.contains("contradicts the port 22"))
        XCTAssertTrue(message { try resolve(user: "ada", ["user": "bob"]) }.contains("contradicts the user 'ada'"))
        XCTAssertTrue(message { try resolve(["connections": "0"]) }.contains("option connections"))
        XCTAssertTrue(message { try resolve(["connections": "129"]) }.contains("option connections"))
        XCTAssertTrue(message { try resolve(host: "-oProxyCommand=evil") }.contains("invalid host name"))
        XCTAssertTrue(message { try resolve(["user": "-x"]) }.contains("invalid user name"))
        XCTAssertTrue(message { try resolve(["keyfile": "/no/such/key"]) }.contains("/no/such/key does not exist"))
        XCTAssertTrue(message { try resolve(["password": "hunter2"]) }.contains("password logins are not supported"))
        XCTAssertTrue(message { try resolve(["port": "0"]) }.hasPrefix("remote ssh://example.org/srv/cairn: "))
        XCTAssertEqual(try resolve(port: 22, ["port": "22", "connections": "8", "url": "ignored"]).connections, 8)
        XCTAssertEqual(try resolve().connections, SFTPSettings.defaultConnections)
        XCTAssertEqual(try resolve(["knownhostsfile": "~/.ssh/team_hosts"]).knownHostsFile,
                       "/home/ada/.ssh/team_hosts")
    }

    func testMissingSshClientIsAClearError() {
        XCTAssertThrowsError(try SFTPSettings.resolve(user: nil, host: "h", port: nil, path: "/x", options: [:],
                                                      environment: ["PATH": "/nonexistent"])) { error in
            XCTAssertTrue("\(error)".contains("the ssh client is not installed"), "\(error)")
        }
    }

    func testSshCommandLine() throws {
        var settings = try resolve(user: "ada", port: 2222)
        settings.keyFile = "/keys/100%/id"
        settings.knownHostsFile = "/my hosts/known"
        XCTAssertEqual(settings.sshArguments, [
            settings.sshProgram, "-oBatchMode=yes", "-oStrictHostKeyChecking=yes", "-oConnectTimeout=10",
            "-oServerAliveInterval=15", "-oClearAllForwardings=yes", "-p", "2222", "-l", "ada",
            "-i", "/keys/100%%/id", "-oIdentitiesOnly=yes", "-oUserKnownHostsFile=\"/my hosts/known\"",
            "-s", "--", "example.org", "sftp",
        ])
        XCTAssertEqual(try resolve().sshArguments.suffix(4), ["-s", "--", "example.org", "sftp"])
        XCTAssertFalse(try resolve().sshArguments.contains { $0.hasPrefix("-oUserKnownHostsFile") },
                       "without the option ssh uses ~/.ssh/known_hosts")
    }
}
