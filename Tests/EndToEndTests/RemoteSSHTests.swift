import Basics
import Foundation
import TestServers
import XCTest

/// push / pull through an SSH (SFTP) remote, against a real sshd on 127.0.0.1 with a throwaway host key and
/// user key (Tests/TestServers/SSHServer.swift).
final class RemoteSSHTests: EndToEndTestCase {
    nonisolated(unsafe) private static var server: SSHServer?
    nonisolated(unsafe) private static var startError: String?

    override class func setUp() {
        super.setUp()
        do { server = try SSHServer.start() } catch { startError = "\(error)" }
    }

    override class func tearDown() {
        server?.stop()
        server = nil
        super.tearDown()
    }

    private func requireServer() throws -> SSHServer {
        if let server = Self.server { return server }
        let why = Self.startError ?? "not started"
        if TestServers.mustRun || !why.contains("not installed") { throw CairnError("sshd: \(why)") }
        throw XCTSkip("sshd is not available: \(why)")
    }

    /// A repository whose default remote is a fresh folder on the SSH server, with the test's keys.
    private func repoWithSSHRemote(_ server: SSHServer, knownHosts: String? = nil,
                                   folder given: String? = nil) throws -> TempRepo {
        let repo = try makeRepo()
        let folder = try given ?? server.makeRemoteFolder("e2e-\(UInt32.random(in: 0...UInt32.max))")
        try repo.cairn("remote", "add", "-d", "origin", "ssh://\(server.user)@127.0.0.1:\(server.port)\(folder)")
            .assertSuccess()
        try repo.cairn("remote", "modify", "origin", "keyfile", server.userKey).assertSuccess()
        try repo.cairn("remote", "modify", "origin", "knownhostsfile", knownHosts ?? server.knownHosts).assertSuccess()
        return repo
    }

    func testSecondClonePullsExactlyThePushedData() throws {
        let server = try requireServer()
        let repo = try repoWithSSHRemote(server)
        for i in 0..<120 { try repo.write("many/d\(i % 5)/f\(i).txt", "file \(i)\n") }
        _ = try repo.writeRandom("big.bin", size: 6 << 20, seed: 11)
        try repo.cairn("add", "many", "big.bin").assertSuccess()
        try repo.commitEverything()
        try repo.cairn("push").assertSuccess().assertStdout(contains: "pushed")
        try repo.cairn("push").assertSuccess().assertStdoutLine("Everything is up to date on 'origin'.")

        let copy = try gitClone(repo)
        try copy.cairn("pull").assertSuccess()
        XCTAssertEqual(try copy.sha256("big.bin"), try repo.sha256("big.bin"))
        for file in repo.files(under: "many") { XCTAssertEqual(try copy.sha256(file), try repo.sha256(file), file) }
    }

    /// Issue 8, item 2: a chunked file inside a directory plus a large file arrive in one pull.
    func testOnePullFetchesAChunkedFileInsideADirectory() throws {
        let server = try requireServer()
        let repo = try repoWithSSHRemote(server)
        let sums = try chunkedDirectoryAndLargeFile(repo)
        try repo.cairn("push").assertSuccess()
        try assertOnePullBringsEverything(try gitClone(repo), sums)
    }

    /// Issue 8 item 4 over SSH: a corrupt local copy is not "up to date" for pull, and fsck --repair restores
    /// what is corrupt or missing locally from the server.
    func testRepairAndPullReplaceADamagedLocalCache() throws {
        let server = try requireServer()
        let repo = try repoWithSSHRemote(server)
        _ = try repo.writeRandom("big.bin", size: 1 << 20, seed: 17)
        try repo.write("small.txt", "small\n")
        try repo.cairn("add", "big.bin", "small.txt").assertSuccess()
        try repo.commitEverything()
        try repo.cairn("push").assertSuccess()
        let big = try repo.sha256("big.bin")

        try repo.flipByte(try XCTUnwrap(repo.largestFile(under: ".cairn/cache/packs")))
        try repo.remove("big.bin")
        try repo.cairn("pull").assertSuccess().assertStdout(lacks: "Everything is up to date")
        XCTAssertEqual(try repo.sha256("big.bin"), big)

        for pack in repo.files(under: ".cairn/cache/packs") { try repo.remove(pack) }
        try repo.cairn("fsck", "--repair").assertSuccess().assertStdoutLine("checked 2 unique file contents: no problems")
        try repo.remove("big.bin")
        try repo.cairn("checkout").assertSuccess()
        XCTAssertEqual(try repo.sha256("big.bin"), big)
    }

    func testUnknownHostKeyIsRefused() throws {
        let server = try requireServer()
        let repo = try repoWithSSHRemote(server, knownHosts: server.emptyKnownHosts)
        try repo.write("a.txt", "a\n")
        try repo.cairn("add", "a.txt").assertSuccess()
        try repo.cairn("push").assertError(containing: "host key")
        let changed = try repoWithSSHRemote(server, knownHosts: server.wrongKnownHosts)
        try changed.write("a.txt", "a\n")
        try changed.cairn("add", "a.txt").assertSuccess()
        try changed.cairn("push").assertError(containing: "host key")
    }

    func testTamperedPackIsCaughtAndKilledPushCompletes() throws {
        let server = try requireServer()
        let folder = try server.makeRemoteFolder("e2e-kill")
        let repo = try repoWithSSHRemote(server, folder: folder)
        _ = try repo.writeRandom("big.bin", size: 64 << 20, seed: 5)
        try repo.cairn("add", "big.bin").assertSuccess()
        try repo.commitEverything()
        // Die after the second pack is uploaded, before its index: a crash point, not a kill after a wait.
        let push = try repo.cairn("push", "-j", "1", env: ["CAIRN_CRASH_AT": CrashPoint.midPush.rawValue + ":2"])
        XCTAssertEqual(push.exitCode, CrashPoint.exitStatus, push.transcript)
        XCTAssertTrue(push.stderr.contains("cairn: crash point mid-push"), push.transcript)
        let indexes = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/index")) ?? []
        XCTAssertEqual(indexes.filter { $0.hasSuffix(".idx") }.count, 1, "one pack with its index, the second without: \(indexes)")
        XCTAssertEqual(remotePackFiles(folder).count, 2)
        try repo.cairn("push").assertSuccess()

        let path = folder + "/packs/" + (try XCTUnwrap(remotePackFiles(folder).first))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 3] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let copy = try gitClone(repo)
        let pull = try copy.cairn("pull")
        pull.assertError(containing: "fails verification")
        XCTAssertFalse(copy.exists("big.bin"))
    }
}
