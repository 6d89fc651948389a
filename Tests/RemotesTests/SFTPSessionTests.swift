import Basics
import TestServers
import XCTest
@testable import Remotes

/// The session pool and transfers against a real sshd: sessions are reused and bounded, a dead ssh is
/// `.unreachable` and replaced, `close()` reaps every ssh, big files round-trip at a useful speed, and a full
/// server disk is `.noSpace`.
final class SFTPSessionTests: XCTestCase {
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
        scratch = try ScratchDirectory("sftp-sessions")
    }

    private var server: SSHServer { Self.server! }

    private func isAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }

    func testSequentialCallsReuseOneSession() throws {
        let remote = try SFTPTestServer.remote(server, path: try server.makeRemoteFolder())
        defer { remote.close() }
        let source = try scratch.write("src", [1, 2, 3])
        for i in 0..<5 { try remote.upload(localFile: source, as: "f\(i)") }
        XCTAssertEqual(try remote.listAll().count, 5)
        XCTAssertEqual(remote.pool.statistics.peak, 1)
    }

    func testConcurrentCallsUseAtMostTheConfiguredSessions() throws {
        let remote = try SFTPTestServer.remote(server, path: try server.makeRemoteFolder(),
                                               options: ["connections": "2"])
        defer { remote.close() }
        let source = try scratch.write("src", pseudoRandomBytes(100_000, seed: 5))
        try Parallel.forEach(24, workers: 6) { i in
            try remote.upload(localFile: source, as: "packs/\(i % 3)/object-\(i)")
        }
        XCTAssertEqual(try remote.list(prefix: "packs/").count, 24)
        XCTAssertEqual(remote.pool.statistics.peak, 2)
    }

    func testKilledSshIsUnreachableAndReplaced() throws {
        let remote = try SFTPTestServer.remote(server, path: try server.makeRemoteFolder())
        defer { remote.close() }
        let source = try scratch.write("src", [4, 5, 6])
        try remote.upload(localFile: source, as: "a")
        let processes = remote.pool.statistics.idleProcesses
        XCTAssertEqual(processes.count, 1)
        kill(processes[0], SIGKILL)

        XCTAssertThrowsError(try remote.upload(localFile: source, as: "b")) { error in
            XCTAssertEqual((error as? RemoteError)?.kind, .unreachable, "\(error)")
            XCTAssertTrue((error as? RemoteError)?.isRetriable == true)
        }
        XCTAssertFalse(isAlive(processes[0]), "the dead ssh was reaped")
        XCTAssertEqual(remote.pool.statistics.open, 0, "the dead session was dropped")
        XCTAssertTrue(try remote.exists("a"), "the next call opens a new session")
        XCTAssertFalse(try remote.exists("b"))

        // Through RetryingRemote the same failure is invisible.
        kill(remote.pool.statistics.idleProcesses[0], SIGKILL)
        let retrying = RetryingRemote(wrapping: remote, attempts: 3, baseDelay: 0.001)
        try retrying.upload(localFile: source, as: "b")
        XCTAssertEqual(try remote.listAll().map(\.name), ["a", "b"])
    }

    /// Servers without OpenSSH's extensions: overwrite falls back to REMOVE + RENAME, and there is no fsync.
    func testServerWithoutOpenSSHExtensionsStillReplacesFiles() throws {
        let remote = try SFTPTestServer.remote(server, path: try server.makeRemoteFolder())
        defer { remote.close() }
        try remote.upload(localFile: try scratch.write("v1", Array("first".utf8)), as: "config")
        try remote.pool.withConnection { connection in
            for name in [SFTPConnection.posixRenameExtension, SFTPConnection.fsyncExtension,
                         SFTPConnection.statvfsExtension] {
                XCTAssertNotNil(connection.extensions.removeValue(forKey: name), "OpenSSH offers \(name)")
            }
        }
        try remote.upload(localFile: try scratch.write("v2", Array("second".utf8)), as: "config")
        try remote.upload(localFile: try scratch.write("new", [1]), as: "packs/new")
        let target = scratch.file("back")
        try remote.download("config", to: target)
        XCTAssertEqual(try FS.readAll(target), Array("second".utf8))
        XCTAssertEqual(try remote.listAll().map(\.name), ["config", "packs/new"])
        XCTAssertEqual(remote.pool.statistics.peak, 1, "the same session, without the extensions, did the work")
    }

    func testCloseEndsAndReapsEverySession() throws {
        let remote = try SFTPTestServer.remote(server, path: try server.makeRemoteFolder())
        let source = try scratch.write("src", [1])
        try Parallel.forEach(8, workers: 4) { i in try remote.upload(localFile: source, as: "x\(i)") }
        let processes = remote.pool.statistics.idleProcesses
        XCTAssertGreaterThan(processes.count, 1)
        XCTAssertTrue(processes.allSatisfy(isAlive))
        remote.close()
        XCTAssertEqual(remote.pool.statistics.open, 0)
        XCTAssertFalse(processes.contains(where: isAlive), "no ssh left running or as a zombie")
        // A closed remote opens new sessions when it is used again.
        XCTAssertEqual(try remote.listAll().count, 8)
        remote.close()
    }

    func testSixtyFourMebibytesRoundTripByteForByte() throws {
        let remote = try SFTPTestServer.remote(server, path: try server.makeRemoteFolder())
        defer { remote.close() }
        let size = 64 << 20
        let original = pseudoRandomBytes(size, seed: 64)
        let source = try scratch.write("big", original)
        let target = scratch.file("big-back")

        var started = FS.nowNs()
        try remote.upload(localFile: source, as: "packs/big")
        let uploadSeconds = Double(FS.nowNs() - started) / 1e9
        started = FS.nowNs()
        try remote.download("packs/big", to: target)
        let downloadSeconds = Double(FS.nowNs() - started) / 1e9

        XCTAssertEqual(try remote.list(prefix: "packs/"), [RemoteFileInfo(name: "packs/big", size: UInt64(size))])
        XCTAssertTrue(try FS.readAll(target) == original, "the download differs from the upload")
        let mebibytes = Double(size) / Double(1 << 20)
        print("SFTP loopback: upload \(Int(mebibytes / uploadSeconds)) MiB/s, "
            + "download \(Int(mebibytes / downloadSeconds)) MiB/s (64 MiB, debug build)")
    }

    func testDownloadIntoAMissingLocalFolderIsALocalError() throws {
        let remote = try SFTPTestServer.remote(server, path: try server.makeRemoteFolder())
        defer { remote.close() }
        try remote.upload(localFile: try scratch.write("src", [1]), as: "f")
        let target = scratch.file("no/such/folder/f")
        XCTAssertThrowsError(try remote.download("f", to: target)) { error in
            XCTAssertTrue(error is CairnError, "the local side is not a remote failure: \(error)")
        }
        XCTAssertEqual(try remote.listAll().map(\.name), ["f"], "the session is still usable")
    }

    /// A full server disk, simulated with a tiny tmpfs as the remote folder when the test may mount one (root
    /// in a container); skipped elsewhere.
    func testFullServerDiskIsNoSpace() throws {
        let mountPoint = try server.makeRemoteFolder("tiny")
        guard mount("tmpfs", mountPoint, "tmpfs", 0, "size=256k") == 0 else {
            throw XCTSkip("cannot mount a tmpfs here (errno \(errno))")
        }
        defer { umount(mountPoint) }
        let remote = try SFTPTestServer.remote(server, path: mountPoint)
        defer { remote.close() }
        let big = try scratch.write("big", pseudoRandomBytes(1 << 20, seed: 3))
        XCTAssertThrowsError(try remote.upload(localFile: big, as: "packs/big")) { error in
            XCTAssertEqual((error as? RemoteError)?.kind, .noSpace, "\(error)")
        }
        XCTAssertEqual(try remote.listAll(), [])
        XCTAssertEqual(try FS.listDirectory(Paths.join(mountPoint, "packs")).map(\.name), [],
                       "the temporary file was removed")
        // Small files still fit: the session survived the failure.
        try remote.upload(localFile: try scratch.write("small", [1, 2]), as: "packs/small")
        XCTAssertEqual(try remote.listAll().map(\.name), ["packs/small"])
    }
}
