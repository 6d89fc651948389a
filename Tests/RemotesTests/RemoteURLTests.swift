import XCTest
@testable import Remotes

final class RemoteURLTests: XCTestCase {
    private func kind(_ text: String) throws -> RemoteURL.Kind { try RemoteURL.parse(text).kind }

    func testLocalPathsAndFileURLs() throws {
        XCTAssertEqual(try kind("/mnt/team/cairn"), .local(path: "/mnt/team/cairn"))
        XCTAssertEqual(try kind("/mnt//team/cairn/"), .local(path: "/mnt/team/cairn"))
        XCTAssertEqual(try kind("file:///srv/data"), .local(path: "/srv/data"))
        XCTAssertEqual(try kind("FILE:///srv/data"), .local(path: "/srv/data"))
        XCTAssertEqual(try kind("file://localhost/srv/data"), .local(path: "/srv/data"))
        XCTAssertEqual(try kind("file:///srv/my%20data"), .local(path: "/srv/my data"))
        XCTAssertEqual(try RemoteURL.parse(" /x ").original, " /x ")
    }

    func testS3() throws {
        XCTAssertEqual(try kind("s3://my-bucket/team/cairn"), .s3(bucket: "my-bucket", prefix: "team/cairn"))
        XCTAssertEqual(try kind("s3://my-bucket/team/cairn/"), .s3(bucket: "my-bucket", prefix: "team/cairn"))
        XCTAssertEqual(try kind("s3://my-bucket"), .s3(bucket: "my-bucket", prefix: ""))
        XCTAssertEqual(try kind("s3://my.bucket.1/"), .s3(bucket: "my.bucket.1", prefix: ""))
    }

    func testSSH() throws {
        XCTAssertEqual(try kind("ssh://host/srv/cairn"), .ssh(user: nil, host: "host", port: nil, path: "/srv/cairn"))
        XCTAssertEqual(try kind("ssh://alice@example.org:2222/data/"),
                       .ssh(user: "alice", host: "example.org", port: 2222, path: "/data"))
        XCTAssertEqual(try kind("ssh://bob@[::1]:22/x"), .ssh(user: "bob", host: "::1", port: 22, path: "/x"))
        XCTAssertEqual(try kind("ssh://127.0.0.1/"), .ssh(user: nil, host: "127.0.0.1", port: nil, path: "/"))
    }

    func testRejectsEverythingElseWithOneLine() {
        let cases: [(String, String)] = [
            ("", "empty URL"),
            ("relative/path", "not an absolute path or a URL"),
            ("gs://bucket/x", "unsupported scheme 'gs'"),
            ("https://example.org/x", "unsupported scheme 'https'"),
            ("sftp://host/x", "unsupported scheme 'sftp'"),
            ("file://otherhost/x", "file URLs must name a local path"),
            ("file:///bad%zzescape", "invalid %-escape"),
            ("s3://", "missing the bucket"),
            ("s3:///prefix", "missing the bucket"),
            ("s3://ab/x", "must be 3 to 63 characters"),
            ("s3://My_Bucket/x", "only lowercase letters"),
            ("s3://-bucket/x", "must start and end"),
            ("s3://bucket/a/../b", "bad prefix"),
            ("ssh://host", "missing the path"),
            ("ssh:///path", "missing the host"),
            ("ssh://@host/path", "empty user name"),
            ("ssh://host:0/p", "invalid port '0'"),
            ("ssh://host:99999/p", "invalid port"),
            ("ssh://host:abc/p", "invalid port 'abc'"),
            ("ssh://[::1/p", "unclosed '['"),
            ("ssh://host/a/../b", "may not contain '..'"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try RemoteURL.parse(text), text) { error in
                let message = "\(error)"
                XCTAssertTrue(message.hasPrefix("remote URL '\(text)': "), message)
                XCTAssertTrue(message.contains(expected), "\(text): \(message)")
                XCTAssertFalse(message.contains("\n"), message)
            }
        }
    }
}
