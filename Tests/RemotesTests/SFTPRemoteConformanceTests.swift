import Basics
import TestServers
import XCTest
@testable import Remotes

/// Runs the shared remote conformance suite against a real sshd on 127.0.0.1, each check on a fresh folder.
final class SFTPRemoteConformanceTests: XCTestCase {
    nonisolated(unsafe) private static var server: SSHServer?
    private var remotes: [SFTPRemote] = []
    private var suite: RemoteConformance!

    override class func setUp() {
        super.setUp()
        server = try? SSHServer.start()
    }

    override class func tearDown() {
        server?.stop()
        server = nil
        super.tearDown()
    }

    private func runningServer() throws -> SSHServer {
        if let server = Self.server { return server }
        // Starting failed in setUp: try again here to report why (skip, or fail on CI).
        Self.server = try SFTPTestServer.start()
        return Self.server!
    }

    override func setUpWithError() throws {
        let server = try runningServer()
        suite = try RemoteConformance { [unowned self] in
            let remote = try SFTPTestServer.remote(server, path: try server.makeRemoteFolder())
            remotes.append(remote)
            return remote
        }
    }

    override func tearDown() {
        for remote in remotes { remote.close() }
        remotes.removeAll()
        suite = nil
    }

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
        let server = try runningServer()
        let wrapped = try RemoteConformance { [unowned self] in
            let remote = try SFTPTestServer.remote(server, path: try server.makeRemoteFolder())
            remotes.append(remote)
            return RetryingRemote(wrapping: remote, attempts: 3, baseDelay: 0.001)
        }
        try wrapped.checkRoundTripOfEmptySmallAndLargeFiles()
        try wrapped.checkExists()
        try wrapped.checkListByPrefix()
        try wrapped.checkOverwriteReplacesContent()
        try wrapped.checkDelete()
        try wrapped.checkMissingFilesAreNotFound()
        try wrapped.checkInvalidNamesAreRejected()
        try wrapped.checkFailedUploadLeavesNothingVisible()
        try wrapped.checkConcurrentUploadsOfDifferentNames()
    }
}
