import XCTest
@testable import Remotes

/// ssh's stderr (as OpenSSH 9 prints it, with CRLF line ends) → RemoteError kind and a message saying what to do.
final class SFTPFailureMessageTests: XCTestCase {
    private func classify(_ stderr: String) -> SSHFailure.Classified {
        SSHFailure.classify(stderr: stderr, host: "example.org", port: 2222, exit: "exit status 255")
    }

    func testUnknownHostKey() {
        let result = classify("No ED25519 host key is known for [example.org]:2222 and you have requested strict "
            + "checking.\r\nHost key verification failed.\r\n")
        XCTAssertEqual(result.kind, .authentication)
        XCTAssertTrue(result.message.contains("host key is unknown"), result.message)
        XCTAssertTrue(result.message.contains("ssh-keyscan -p 2222 example.org >> ~/.ssh/known_hosts"),
                      result.message)
    }

    func testChangedHostKey() {
        let result = classify("""
            @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r
            @    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r
            @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r
            IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\r
            Host key for [example.org]:2222 has changed and you have requested strict checking.\r
            Host key verification failed.\r

            """)
        XCTAssertEqual(result.kind, .authentication)
        XCTAssertTrue(result.message.contains("host key has CHANGED"), result.message)
        XCTAssertTrue(result.message.contains("ssh-keygen -f ~/.ssh/known_hosts -R '[example.org]:2222'"),
                      result.message)
    }

    func testRefusedLogin() {
        let result = classify("ada@example.org: Permission denied (publickey).\r\n")
        XCTAssertEqual(result.kind, .authentication)
        XCTAssertTrue(result.message.contains("(ada@example.org: Permission denied (publickey))"), result.message)
    }

    func testUnreachableServers() {
        for text in ["ssh: connect to host example.org port 2222: Connection refused",
                     "ssh: connect to host example.org port 2222: Connection timed out",
                     "ssh: Could not resolve hostname example.org: Name or service not known",
                     "ssh: connect to host example.org port 2222: No route to host",
                     "Connection closed by 192.0.2.1 port 2222",
                     "Timeout, server example.org not responding."] {
            let result = classify(text + "\r\n")
            XCTAssertEqual(result.kind, .unreachable, text)
            XCTAssertTrue(result.message.hasPrefix("cannot reach the server (ssh: " + text.replacing("ssh: ", with: "")
                .trimmingSuffix(".")), "\(text) → \(result.message)")
        }
    }

    func testNoSftpSubsystemIsNotRetried() {
        let result = classify("subsystem request failed on channel 0\r\n")
        XCTAssertEqual(result.kind, .other)
        XCTAssertTrue(result.message.contains("does not offer SFTP"), result.message)
    }

    func testSilentDeathIsUnreachableWithTheExitStatus() {
        let result = classify("")
        XCTAssertEqual(result.kind, .unreachable)
        XCTAssertTrue(result.message.contains("exit status 255"), result.message)
        XCTAssertFalse(classify("some new message\nand another\n").message.contains("\n"))
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
