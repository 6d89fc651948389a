import Basics
import XCTest
@testable import Remotes

/// Runs the shared remote conformance suite against a real S3 server (SeaweedFS), each remote a fresh prefix of
/// one bucket.
final class S3RemoteConformanceTests: XCTestCase {
    nonisolated(unsafe) private static var server = S3TestServer()
    private static let bucket = "conformance"
    private var suite: RemoteConformance!

    override class func setUp() {
        super.setUp()
        server.start(buckets: [bucket])
    }

    override class func tearDown() {
        server.stop()
        super.tearDown()
    }

    override func setUpWithError() throws {
        _ = try Self.server.require()
        suite = try RemoteConformance { try Self.server.remote(bucket: Self.bucket) }
    }

    override func tearDown() { suite = nil }

    func testRoundTripOfEmptySmallAndLargeFiles() throws { try suite.checkRoundTripOfEmptySmallAndLargeFiles() }
    func testExists() throws { try suite.checkExists() }
    func testListByPrefix() throws { try suite.checkListByPrefix() }
    func testOverwriteReplacesContent() throws { try suite.checkOverwriteReplacesContent() }
    func testDelete() throws { try suite.checkDelete() }
    func testMissingFilesAreNotFound() throws { try suite.checkMissingFilesAreNotFound() }
    func testInvalidNamesAreRejected() throws { try suite.checkInvalidNamesAreRejected() }
    func testFailedUploadLeavesNothingVisible() throws { try suite.checkFailedUploadLeavesNothingVisible() }
    func testConcurrentUploadsOfDifferentNames() throws { try suite.checkConcurrentUploadsOfDifferentNames() }

    /// The suite also runs through RetryingRemote: wrapping must not change any behaviour.
    func testRetryingWrapperPassesTheSuite() throws {
        let wrapped = try RemoteConformance {
            RetryingRemote(wrapping: try Self.server.remote(bucket: Self.bucket), attempts: 3, baseDelay: 0.001)
        }
        try wrapped.checkRoundTripOfEmptySmallAndLargeFiles()
        try wrapped.checkListByPrefix()
        try wrapped.checkMissingFilesAreNotFound()
        try wrapped.checkInvalidNamesAreRejected()
        try wrapped.checkFailedUploadLeavesNothingVisible()
        try wrapped.checkDelete()
    }

    /// A remote at the bucket's root (no prefix) lists names without any prefix to strip.
    func testRemoteAtTheBucketRoot() throws {
        let server = try Self.server.require()
        try server.createBucket("rootless")
        let remote = try Self.server.remote(bucket: "rootless", prefix: "")
        XCTAssertEqual(remote.displayName, "s3://rootless")
        let scratch = try ScratchDirectory("s3-root")
        try remote.upload(localFile: try scratch.write("a", [1, 2]), as: "top/a")
        XCTAssertEqual(try remote.listAll(), [RemoteFileInfo(name: "top/a", size: 2)])
    }
}
