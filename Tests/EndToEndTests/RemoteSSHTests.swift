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
    private func repoWithSSHRemote(_ server: SSHServer, knownHosts: String? = nil) throws -> TempRepo {
        let repo = try makeRepo()
        let folder = try server.makeRemoteFolder("e2e-\(UInt32.random(in: 0...UInt32.max))")
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
        try repo.git("add", "-A").assertSuccess()
        try repo.git("commit", "-qm", "data").assertSuccess()
        try repo.cairn("push").assertSuccess().assertStdout(contains: "pushed")
        try repo.cairn("push").assertSuccess().assertStdoutLine("Everything is up to date on 'origin'.")

        let copy = try makeRepo(initialized: false, git: false)
        try FileManager.default.removeItem(atPath: copy.root)
        try repo.git("clone", "-q", repo.root, copy.root).assertSuccess()
        try copy.cairn("pull").assertSuccess()
        XCTAssertEqual(try copy.sha256("big.bin"), try repo.sha256("big.bin"))
        for file in repo.files(under: "many") { XCTAssertEqual(try copy.sha256(file), try repo.sha256(file), file) }
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
}
