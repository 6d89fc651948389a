import Basics
import Foundation
import TestServers
import XCTest
@testable import Remotes

/// How an SFTP remote fails against a real sshd: refused host keys and user keys, nothing listening, a missing
/// remote folder, a read-only server, a file in the way. Every failure must be one classified line.
final class SFTPFailureTests: XCTestCase {
    nonisolated(unsafe) private static var server: SSHServer?
    private var scratch: ScratchDirectory!

    override class func setUp() {
        super.setUp()
        server = try? SSHServer.start()
    }

    override class func tearDown() {
        server?.stop()
        server = nil
        super.tearDown()
    }

    override func setUpWithError() throws {
        if Self.server == nil { Self.server = try SFTPTestServer.start() }
        scratch = try ScratchDirectory("sftp-failures")
    }

    private var server: SSHServer { Self.server! }

    /// Runs `body`, which must throw a RemoteError of `kind`; returns its one-line description.
    @discardableResult
    private func expectFailure(_ kind: RemoteError.Kind, _ body: () throws -> Void,
                               file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            try body()
            XCTFail("expected RemoteError.\(kind), nothing was thrown", file: file, line: line)
        } catch let error as RemoteError {
            XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), "one line: \(error)", file: file, line: line)
            return error.description
        } catch {
            XCTFail("expected RemoteError.\(kind), got \(error)", file: file, line: line)
        }
        return ""
    }

    func testUnknownHostKeyIsAuthentication() throws {
        let remote = try SFTPTestServer.remote(server, path: try server.makeRemoteFolder(),
                                               options: ["knownhostsfile": server.emptyKnownHosts])
        defer { remote.close() }
        let message = expectFailure(.authentication) { _ = try remote.exists("x") }
        XCTAssertTrue(message.contains("host key is unknown"), message)
        XCTAssertTrue(message.contains("ssh-keyscan -p \(server.port) 127.0.0.1"), message)
        XCTAssertTrue(message.hasPrefix("remote \(remote.displayName): the server's host key is unknown"),
                      "a failed login names the remote, not the file at hand: \(message)")
    }

    func testChangedHostKeyIsAuthentication() throws {
        let remote = try SFTPTestServer.remote(server, path: try server.makeRemoteFolder(),
                                               options: ["knownhostsfile": server.wrongKnownHosts])
        defer { remote.close() }
        let message = expectFailure(.authentication) { _ = try remote.list(prefix: "") }
        XCTAssertTrue(message.contains("host key has CHANGED"), message)
    }

    func testWrongUserKeyIsAuthentication() throws {
        let remote = try SFTPTestServer.remote(server, path: try server.makeRemoteFolder(),
                                               options: ["keyfile": server.wrongUserKey])
        defer { remote.close() }
        let message = expectFailure(.authentication) { _ = try remote.exists("x") }
        XCTAssertTrue(message.contains("refused the login"), message)
    }

    func testNothingListeningIsUnreachableWithinSeconds() throws {
        let closedPort = try TestServers.freePort()
        let remote = try SFTPTestServer.remote(server, path: "/tmp", port: closedPort)
        defer { remote.close() }
        let started = FS.nowNs()
        let message = expectFailure(.unreachable) { _ = try remote.exists("x") }
        XCTAssertTrue(message.contains("Connection refused"), message)
        XCTAssertLessThan(Double(FS.nowNs() - started) / 1e9, 5)
        XCTAssertEqual(remote.pool.statistics.open, 0, "a failed session is not kept")
    }

    func testMissingRootFolderIsNotFoundAndNeverCreated() throws {
        let missing = Paths.join(try server.makeRemoteFolder(), "not-there")
        let remote = try SFTPTestServer.remote(server, path: missing)
        defer { remote.close() }
        let source = try scratch.write("one", [1])
        let message = expectFailure(.notFound) { try remote.upload(localFile: source, as: "packs/aa/one") }
        XCTAssertTrue(message.contains("the remote folder does not exist"), message)
        expectFailure(.notFound) { _ = try remote.list(prefix: "") }
        XCTAssertFalse(FS.exists(missing), "the root is never created")
    }

    func testRootRemovedAfterOpeningIsNotFoundAndNotRecreated() throws {
        let folder = try server.makeRemoteFolder()
        let remote = try SFTPTestServer.remote(server, path: folder)
        defer { remote.close() }
        let source = try scratch.write("one", [1])
        try remote.upload(localFile: source, as: "packs/aa/one")
        try FileManager.default.removeItem(atPath: folder)
        expectFailure(.notFound) { _ = try remote.list(prefix: "packs/aa/") }
        expectFailure(.notFound) { _ = try remote.list(prefix: "") }
        let message = expectFailure(.notFound) { try remote.upload(localFile: source, as: "packs/bb/two") }
        XCTAssertTrue(message.contains("the remote folder no longer exists"), message)
        XCTAssertFalse(FS.exists(folder), "the root is never recreated")
    }

    func testRootThatIsAFileIsRejected() throws {
        let file = Paths.join(try server.makeRemoteFolder(), "plain")
        try FS.writeAtomically(file, [1])
        let remote = try SFTPTestServer.remote(server, path: file)
        defer { remote.close() }
        let message = expectFailure(.other) { _ = try remote.exists("x") }
        XCTAssertTrue(message.contains("not a folder"), message)
    }

    /// The read-only port runs `internal-sftp -R`, which refuses every write even to root.
    func testReadOnlyServerIsPermissionDenied() throws {
        let folder = try server.makeRemoteFolder()
        try FS.makeDirectories(Paths.join(folder, "packs/aa"))
        try FS.writeAtomically(Paths.join(folder, "packs/aa/existing"), Array("kept".utf8))
        let remote = try SFTPTestServer.remote(server, path: folder, port: server.readOnlyPort)
        defer { remote.close() }
        let source = try scratch.write("src", [1, 2, 3])
        for name in ["top", "packs/aa/new", "packs/bb/nested"] {
            let message = expectFailure(.permissionDenied) { try remote.upload(localFile: source, as: name) }
            XCTAssertTrue(message.hasPrefix("remote \(remote.displayName): \(name): "), message)
        }
        expectFailure(.permissionDenied) { try remote.delete("packs/aa/existing") }
        // Reading still works, and nothing was written.
        XCTAssertEqual(try remote.listAll(), [RemoteFileInfo(name: "packs/aa/existing", size: 4)])
        let target = scratch.file("back")
        try remote.download("packs/aa/existing", to: target)
        XCTAssertEqual(try FS.readAll(target), Array("kept".utf8))
    }

    /// File permissions mean nothing to root, so this one only runs as a normal user.
    func testReadOnlyFolderIsPermissionDenied() throws {
        if geteuid() == 0 { throw XCTSkip("root ignores file permissions; see testReadOnlyServerIsPermissionDenied") }
        let folder = try server.makeRemoteFolder()
        try FS.chmod(folder, 0o555)
        defer { try? FS.chmod(folder, 0o755) }
        let remote = try SFTPTestServer.remote(server, path: folder)
        defer { remote.close() }
        let source = try scratch.write("src", [1])
        expectFailure(.permissionDenied) { try remote.upload(localFile: source, as: "top") }
        expectFailure(.permissionDenied) { try remote.upload(localFile: source, as: "packs/aa/nested") }
    }

    func testFileInTheWayOfAFolderIsAClearError() throws {
        let remote = try SFTPTestServer.remote(server, path: try server.makeRemoteFolder())
        defer { remote.close() }
        let source = try scratch.write("src", [7])
        try remote.upload(localFile: source, as: "packs/aa")
        let message = expectFailure(.other) { try remote.upload(localFile: source, as: "packs/aa/child") }
        XCTAssertTrue(message.contains("cannot create folder 'packs/aa': a file of that name is in the way"), message)
        XCTAssertFalse(try remote.exists("packs/aa/child"))
        XCTAssertEqual(try remote.listAll().map(\.name), ["packs/aa"])
    }

    func testFolderInTheWayOfAFileIsAClearError() throws {
        let remote = try SFTPTestServer.remote(server, path: try server.makeRemoteFolder())
        defer { remote.close() }
        let source = try scratch.write("src", [7])
        try remote.upload(localFile: source, as: "packs/aa/child")
        let message = expectFailure(.other) { try remote.upload(localFile: source, as: "packs/aa") }
        XCTAssertTrue(message.contains("a folder of that name is in the way"), message)
        XCTAssertEqual(try remote.listAll().map(\.name), ["packs/aa/child"], "no temporary file left visible")
        let folder = Paths.join(remote.settings.path, "packs")
        XCTAssertEqual(try FS.listDirectory(folder).map(\.name), ["aa"], "the temporary file was removed")
    }

    func testUnreadableLocalSourceIsALocalError() throws {
        let remote = try SFTPTestServer.remote(server, path: try server.makeRemoteFolder())
        defer { remote.close() }
        let missing = scratch.file("missing")
        XCTAssertThrowsError(try remote.upload(localFile: missing, as: "x")) { error in
            XCTAssertTrue(error is CairnError, "the local side is not a remote failure: \(error)")
            XCTAssertTrue("\(error)".contains(missing), "\(error)")
        }
    }
}
