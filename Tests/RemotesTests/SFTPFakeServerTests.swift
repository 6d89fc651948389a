import Basics
import Foundation
import XCTest
@testable import Remotes

/// The session layer against programs standing in for ssh: one that prints a login banner into the stream
/// (what a chatty shell profile does to SFTP), one that dies with a message, and OpenSSH's sftp-server run
/// directly (SFTP without any SSH, so the client can be checked without sshd).
final class SFTPFakeServerTests: XCTestCase {
    private var scratch: ScratchDirectory!

    override func setUpWithError() throws {
        scratch = try ScratchDirectory("sftp-fake")
    }

    /// A remote whose "ssh" is a shell script; the script ignores ssh's arguments.
    private func remote(script: String, folder: String = "/") throws -> SFTPRemote {
        let program = scratch.file("fake-ssh")
        try FS.writeAtomically(program, "#!/bin/sh\n" + script + "\n", mode: 0o755)
        return SFTPRemote(settings: SFTPSettings(user: nil, host: "fake.example", port: nil, path: folder,
                                                 sshProgram: program,
                                                 environment: ProcessInfo.processInfo.environment))
    }

    func testTextInsteadOfSFTPIsAProtocolErrorThatIsNotRetried() throws {
        let remote = try remote(script: "echo 'Welcome to fake.example! Have a nice day.'\nexec sleep 30")
        defer { remote.close() }
        let started = FS.nowNs()
        XCTAssertThrowsError(try remote.exists("x")) { error in
            let remoteError = error as? RemoteError
            XCTAssertEqual(remoteError?.kind, .other, "\(error)")
            XCTAssertTrue("\(error)".contains("login script on the server print text"), "\(error)")
        }
        XCTAssertLessThan(Double(FS.nowNs() - started) / 1e9, 5, "the fake ssh is ended, not waited for")
    }

    func testSshDyingWithAMessageIsClassifiedFromItsStderr() throws {
        let remote = try remote(script: "echo 'ssh: Could not resolve hostname fake.example: Name or service not known' >&2\nexit 255")
        defer { remote.close() }
        XCTAssertThrowsError(try remote.listAll()) { error in
            XCTAssertEqual((error as? RemoteError)?.kind, .unreachable, "\(error)")
            XCTAssertTrue("\(error)".contains("Could not resolve hostname fake.example"), "\(error)")
        }
    }

    func testSilentSshDeathIsUnreachable() throws {
        let remote = try remote(script: "exit 3")
        defer { remote.close() }
        XCTAssertThrowsError(try remote.listAll()) { error in
            XCTAssertEqual((error as? RemoteError)?.kind, .unreachable, "\(error)")
            XCTAssertTrue("\(error)".contains("exit status 3"), "\(error)")
        }
    }

    private func plainSftpServer(folder: String) throws -> SFTPRemote {
        let server = "/usr/lib/openssh/sftp-server"
        guard FS.exists(server) else { throw XCTSkip("\(server) is not installed") }
        try FS.makeDirectories(folder)
        return try remote(script: "exec \(server)", folder: folder)
    }

    func testPlainSftpServerRoundTrip() throws {
        let folder = scratch.file("remote")
        let remote = try plainSftpServer(folder: folder)
        defer { remote.close() }
        let bytes = pseudoRandomBytes(300_000, seed: 9)
        try remote.upload(localFile: try scratch.write("src", bytes), as: "packs/aa/object")
        let target = scratch.file("back")
        try remote.download("packs/aa/object", to: target)
        XCTAssertTrue(try FS.readAll(target) == bytes)
        XCTAssertEqual(try FS.readAll(Paths.join(folder, "packs/aa/object")).count, bytes.count)
        try remote.delete("packs/aa/object")
        XCTAssertEqual(try FS.listDirectory(folder).map(\.name), [], "emptied folders are removed")
    }

    /// OpenSSH's sftp-server answers at most 255 KiB per READ; asking for more makes every answer short, the
    /// everyday case with servers that cap reads at 32 KiB. The rest of each block must be asked for again.
    func testShortReadsAreCompleted() throws {
        let remote = try plainSftpServer(folder: scratch.file("remote"))
        defer { remote.close() }
        let bytes = pseudoRandomBytes(2_000_000, seed: 11)
        try remote.upload(localFile: try scratch.write("src", bytes), as: "big")
        try remote.pool.withConnection { $0.readRequestLength = 400 << 10 }
        let target = scratch.file("back")
        try remote.download("big", to: target)
        XCTAssertEqual(try FS.readAll(target).count, bytes.count)
        XCTAssertTrue(try FS.readAll(target) == bytes, "short reads were stitched together in order")
    }
}
