import Basics
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway SeaweedFS (`weed server -s3`) on 127.0.0.1 for S3 tests: master, volume, filer and S3 gateway in
/// one process, data in a temporary folder, two identities generated per run (an admin and a read-only one).
///
/// Start one per test class (it takes a few seconds), create a bucket per test or use fresh prefixes, and call
/// `stop()` in the class tearDown. `weed` ignores SIGTERM, so it is killed with SIGKILL.
public final class SeaweedFS: @unchecked Sendable {
    /// `http://127.0.0.1:<port>`, the S3 endpoint.
    public let endpoint: String
    public let region = "us-east-1"
    /// An identity allowed everything (Admin, Read, Write, List, Tagging).
    public let accessKey: String
    public let secretKey: String
    /// An identity allowed only Read and List.
    public let readOnlyAccessKey: String
    public let readOnlySecretKey: String
    /// The temporary folder holding data, config and `weed.log`; removed by `stop()`.
    public let directory: String
    /// Seconds from launch until the gateway stored a first object.
    public private(set) var startupSeconds: Double = 0
    public let commandLine: [String]

    private let process: Process
    private let grpcSockets: [String]
    private var stopped = false

    /// Where the output goes; its tail is part of every failure message.
    public var logPath: String { Paths.join(directory, "weed.log") }

    /// Starts a server and waits (at most `timeout` seconds) until it stores objects. Returns nil when `weed`
    /// is not installed: the caller skips, or fails when `TestServers.mustRun`.
    public static func start(timeout: Double = 30) throws -> SeaweedFS? {
        guard let weed = locateWeed() else { return nil }
        let server = try SeaweedFS(weed: weed)
        do { try server.waitUntilReady(timeout: timeout) } catch {
            server.stop(removeDirectory: false)
            throw error
        }
        return server
    }

    /// The real binary: pyenv's shim is a shell script that execs it, which is fine for SIGKILL as long as the
    /// exec has happened, but calling the binary directly removes the race.
    static func locateWeed() -> String? {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "/root"
        guard let found = TestServers.locate("weed", extraFolders: [Paths.join(home, "go/bin"), "/usr/local/bin"])
        else { return nil }
        if found.contains("/.pyenv/shims/") {
            let versions = Paths.join(home, ".pyenv/versions")
            for version in (try? FS.listDirectory(versions))?.map(\.name).sorted().reversed() ?? [] {
                let candidate = Paths.join(versions, version, "bin/weed")
                if access(candidate, X_OK) == 0 { return candidate }
            }
        }
        return found
    }

    private init(weed: String) throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        directory = Paths.join(base, "cairn-seaweedfs-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        try FS.makeDirectories(Paths.join(directory, "data"))
        func randomKey(_ length: Int) -> String {
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
        }
        accessKey = "AK" + randomKey(18)
        secretKey = randomKey(40)
        readOnlyAccessKey = "RO" + randomKey(18)
        readOnlySecretKey = randomKey(40)
        let identities = """
            {"identities": [
              {"name": "admin", "credentials": [{"accessKey": "\(accessKey)", "secretKey": "\(secretKey)"}],
               "actions": ["Admin", "Read", "Write", "List", "Tagging"]},
              {"name": "reader", "credentials": [{"accessKey": "\(readOnlyAccessKey)", "secretKey": "\(readOnlySecretKey)"}],
               "actions": ["Read", "List"]}
            ]}
            """
        let configPath = Paths.join(directory, "identities.json")
        try FS.writeAtomically(configPath, identities)

        // Every port explicit (the gRPC ones default to port+10000 and could collide with anything).
        var ports: [Int] = []
        for _ in 0..<8 { ports.append(try TestServers.freePort()) }
        endpoint = "http://127.0.0.1:\(ports[3])"
        // weed always creates these in /tmp (not configurable, TMPDIR is ignored); stop() removes them.
        grpcSockets = zip(["master", "volume", "filer", "s3"], ports[4...]).map { "/tmp/seaweedfs-\($0)-grpc-\($1).sock" }
        // -logdir: glog would otherwise leave weed.* files in /tmp on every run.
        commandLine = [weed, "-logdir=\(directory)", "server", "-s3", "-dir=\(Paths.join(directory, "data"))", "-ip=127.0.0.1",
                       "-ip.bind=127.0.0.1",
                       "-master.port=\(ports[0])", "-master.port.grpc=\(ports[4])",
                       "-volume.port=\(ports[1])", "-volume.port.grpc=\(ports[5])",
                       "-filer.port=\(ports[2])", "-filer.port.grpc=\(ports[6])",
                       "-s3.port=\(ports[3])", "-s3.port.grpc=\(ports[7])",
                       "-s3.config=\(configPath)", "-s3.port.iceberg=0", "-s3.port.lance=0",
                       // Like real S3: writing to a missing bucket is NoSuchBucket, not a new bucket.
                       "-s3.autoCreateBucket=false",
                       "-filer.localSocket=\(Paths.join(directory, "filer.sock"))",
                       "-s3.localSocket=\(Paths.join(directory, "s3.sock"))",
                       "-master.telemetry=false", "-master.volumeSizeLimitMB=64", "-volume.max=0"]
        _ = FileManager.default.createFile(atPath: Paths.join(directory, "weed.log"), contents: nil)
        guard let log = FileHandle(forWritingAtPath: Paths.join(directory, "weed.log")) else {
            throw CairnError("\(directory)/weed.log: cannot open the log file")
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: weed)
        process.arguments = Array(commandLine.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? log.close()
    }

    deinit { stop() }

    /// Kills the server (SIGKILL), waits for it and removes its folder.
    public func stop() { stop(removeDirectory: true) }

    private func stop(removeDirectory: Bool) {
        if stopped { return }
        stopped = true
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        for socket in grpcSockets { unlink(socket) }
        if removeDirectory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The last lines of the server's log, for failure messages.
    public func logTail(lines: Int = 30) -> String {
        guard let text = try? FS.readString(logPath) else { return "(no log at \(logPath))" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// Creates a bucket through S3 itself (a signed PUT Bucket as the admin identity).
    public func createBucket(_ name: String) throws {
        let response = try MinimalS3Request.send(method: "PUT", path: "/\(name)", body: [], endpoint: endpoint,
                                                 accessKey: accessKey, secretKey: secretKey, region: region)
        guard (200..<300).contains(response.status) || response.body.contains("BucketAlreadyOwnedByYou") else {
            throw CairnError("SeaweedFS at \(endpoint): creating bucket '\(name)' failed: HTTP \(response.status) "
                + "\(response.body)\n--- weed.log ---\n\(logTail())")
        }
    }

    /// Stores an object as the admin identity (tests use it to damage what cairn pushed).
    public func putObject(bucket: String, key: String, bytes: [UInt8]) throws {
        let response = try MinimalS3Request.send(method: "PUT", path: "/\(bucket)/\(key)", body: bytes,
                                                 endpoint: endpoint, accessKey: accessKey, secretKey: secretKey,
                                                 region: region)
        guard (200..<300).contains(response.status) else {
            throw CairnError("PUT \(bucket)/\(key): HTTP \(response.status) \(response.body)")
        }
    }

    public func getObject(bucket: String, key: String) throws -> [UInt8] {
        let response = try MinimalS3Request.send(method: "GET", path: "/\(bucket)/\(key)", body: [],
                                                 endpoint: endpoint, accessKey: accessKey, secretKey: secretKey,
                                                 region: region)
        guard response.status == 200 else { throw CairnError("GET \(bucket)/\(key): HTTP \(response.status)") }
        return response.data
    }

    /// The keys under `prefix` (one ListObjectsV2 page; prefixes of plain ASCII letters, digits, '-', '/').
    public func listKeys(bucket: String, prefix: String) throws -> [String] {
        let encoded = prefix.replacingOccurrences(of: "/", with: "%2F")
        let response = try MinimalS3Request.send(method: "GET", path: "/\(bucket)",
                                                 query: "list-type=2&prefix=\(encoded)", body: [], endpoint: endpoint,
                                                 accessKey: accessKey, secretKey: secretKey, region: region)
        guard response.status == 200 else { throw CairnError("LIST \(bucket)/\(prefix): HTTP \(response.status)") }
        return response.body.components(separatedBy: "<Key>").dropFirst()
            .compactMap { $0.components(separatedBy: "</Key>").first }
    }

    /// Ready means a bucket can be created and an object stored: the gateway answers before the volume server
    /// has registered with the master, and the first writes would fail.
    private func waitUntilReady(timeout: Double) throws {
        let started = Double(FS.nowNs()) / 1e9
        var lastProblem = "no answer"
        let ready = TestServers.waitUntil(timeout: timeout, interval: 0.2) {
            guard process.isRunning else { lastProblem = "weed exited"; return false }
            do {
                try createBucket("cairn-readiness")
                let put = try MinimalS3Request.send(method: "PUT", path: "/cairn-readiness/probe", body: Array("ok".utf8),
                                                    endpoint: endpoint, accessKey: accessKey, secretKey: secretKey,
                                                    region: region)
                if (200..<300).contains(put.status) { return true }
                lastProblem = "storing a probe object: HTTP \(put.status) \(put.body)"
            } catch { lastProblem = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)" }
            return false
        }
        startupSeconds = Double(FS.nowNs()) / 1e9 - started
        if !ready {
            throw CairnError("SeaweedFS did not become ready within \(Int(timeout)) s (\(lastProblem))\n"
                + "command: \(commandLine.joined(separator: " "))\n--- weed.log ---\n\(logTail())")
        }
    }
}

/// A signed S3 request with an in-memory body, for the harness only (it must not depend on the Remotes module,
/// whose S3 code it helps to test). Object paths must be plain ASCII without characters that need encoding.
enum MinimalS3Request {
    struct Response {
        var status: Int
        var data: [UInt8]
        var body: String { String(decoding: data, as: UTF8.self) }
    }

    /// `query` must already be canonical: `name=value` pairs sorted by name, values URI-encoded.
    static func send(method: String, path: String, query: String = "", body: [UInt8], endpoint: String,
                     accessKey: String, secretKey: String, region: String) throws -> Response {
        guard let url = URL(string: endpoint + path + (query.isEmpty ? "" : "?" + query)), let host = url.host else {
            throw CairnError("\(endpoint)\(path): not a valid URL")
        }
        let hostHeader = url.port.map { "\(host):\($0)" } ?? host
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        let timestamp = String(format: "%04d%02d%02dT%02d%02d%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                               Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        let day = String(timestamp.prefix(8))
        let payloadHash = hex(sha256(body))
        let signedNames = "host;x-amz-content-sha256;x-amz-date"
        let canonical = [method, path, query, "host:\(hostHeader)\nx-amz-content-sha256:\(payloadHash)\n"
                         + "x-amz-date:\(timestamp)\n", signedNames, payloadHash].joined(separator: "\n")
        let scope = "\(day)/\(region)/s3/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", timestamp, scope, hex(sha256(Array(canonical.utf8)))]
            .joined(separator: "\n")
        var key = Array("AWS4\(secretKey)".utf8)
        for part in [day, region, "s3", "aws4_request"] { key = hmac(key, Array(part.utf8)) }
        let signature = hex(hmac(key, Array(stringToSign.utf8)))

        var request = URLRequest(url: url, timeoutInterval: 5)
        request.httpMethod = method
        request.setValue(timestamp, forHTTPHeaderField: "x-amz-date")
        request.setValue(payloadHash, forHTTPHeaderField: "x-amz-content-sha256")
        request.setValue("AWS4-HMAC-SHA256 Credential=\(accessKey)/\(scope),SignedHeaders=\(signedNames),"
            + "Signature=\(signature)", forHTTPHeaderField: "Authorization")
        if method != "GET" { request.setValue(String(body.count), forHTTPHeaderField: "Content-Length") }
        let result = Locked<(Int, [UInt8], Error?)>((0, [], nil))
        let done = DispatchSemaphore(value: 0)
        let finished: @Sendable (Data?, URLResponse?, Error?) -> Void = { data, response, error in
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            result.withLock { $0 = (status, data.map { [UInt8]($0) } ?? [], error) }
            done.signal()
        }
        // A GET goes without a body: an upload task with an empty one is refused by libcurl's size checks.
        let task = method == "GET" ? URLSession.shared.dataTask(with: request, completionHandler: finished)
            : URLSession.shared.uploadTask(with: request, from: Data(body), completionHandler: finished)
        task.resume()
        done.wait()
        let (status, data, error) = result.snapshot
        if let error { throw CairnError("\(method) \(endpoint)\(path): \(error.localizedDescription)") }
        return Response(status: status, data: data)
    }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = ContentHasher()
        hasher.update(bytes)
        return hasher.finalize().bytes
    }

    /// HMAC-SHA256 (RFC 2104) on top of Basics' SHA-256, which is all the harness can import.
    static func hmac(_ key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? sha256(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        let inner = sha256(block.map { $0 ^ 0x36 } + message)
        return sha256(block.map { $0 ^ 0x5c } + inner)
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
