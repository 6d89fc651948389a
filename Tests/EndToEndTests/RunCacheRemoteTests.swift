import Basics
import Foundation
import TestServers
import XCTest

/// `push/fetch/pull --run-cache` through S3 (SeaweedFS) and SSH (sshd) remotes: the same round trip as over a
/// folder (RunCacheTransferTests), entries under `runs/` of the remote.
final class RunCacheRemoteTests: EndToEndTestCase {
    nonisolated(unsafe) private static var s3: SeaweedFS?
    nonisolated(unsafe) private static var ssh: SSHServer?
    nonisolated(unsafe) private static var errors: [String: String] = [:]
    private static let bucket = "cairn-runs-e2e"

    override class func setUp() {
        super.setUp()
        do {
            s3 = try SeaweedFS.start()
            try s3?.createBucket(bucket)
        } catch { errors["s3"] = "\(error)" }
        do { ssh = try SSHServer.start() } catch { errors["ssh"] = "\(error)" }
    }

    override class func tearDown() {
        s3?.stop()
        s3 = nil
        ssh?.stop()
        ssh = nil
        super.tearDown()
    }

    func testRoundTripOverS3() throws {
        guard let server = Self.s3 else {
            let why = Self.errors["s3"] ?? "not started"
            if TestServers.mustRun || !why.contains("not installed") { throw CairnError("SeaweedFS: \(why)") }
            throw XCTSkip("weed (SeaweedFS) is not available: \(why)")
        }
        let env = ["AWS_ACCESS_KEY_ID": server.accessKey, "AWS_SECRET_ACCESS_KEY": server.secretKey,
                   "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_CONFIG_FILE": "/nonexistent"]
        let repo = try makeRepo()
        let prefix = "runs-\(UInt32.random(in: 0...UInt32.max))"
        try repo.cairn("remote", "add", "-d", "origin", "s3://\(Self.bucket)/\(prefix)").assertSuccess()
        try repo.cairn("remote", "modify", "origin", "endpointurl", server.endpoint).assertSuccess()
        try repo.cairn("remote", "modify", "origin", "region", server.region).assertSuccess()
        let (entry, _) = try addRunCacheEntry(repo)
        try assertRunCacheRoundTrip(repo, entry: entry, env: env) {
            // A second push finding it there is the remote's own word that it holds the entry.
            try repo.cairn("push", "--run-cache", env: env).stdout.contains("run-cache: up to date")
        }
    }

    func testRoundTripOverSSH() throws {
        guard let server = Self.ssh else {
            let why = Self.errors["ssh"] ?? "not started"
            if TestServers.mustRun || !why.contains("not installed") { throw CairnError("sshd: \(why)") }
            throw XCTSkip("sshd is not available: \(why)")
        }
        let repo = try makeRepo()
        let folder = try server.makeRemoteFolder("runs-\(UInt32.random(in: 0...UInt32.max))")
        try repo.cairn("remote", "add", "-d", "origin", "ssh://\(server.user)@127.0.0.1:\(server.port)\(folder)")
            .assertSuccess()
        try repo.cairn("remote", "modify", "origin", "keyfile", server.userKey).assertSuccess()
        try repo.cairn("remote", "modify", "origin", "knownhostsfile", server.knownHosts).assertSuccess()
        let (entry, _) = try addRunCacheEntry(repo)
        try assertRunCacheRoundTrip(repo, entry: entry) {
            FileManager.default.fileExists(atPath: folder + "/" + entry)
        }
    }
}
