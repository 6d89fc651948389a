import Basics
import XCTest
@testable import Remotes

/// Runs the shared remote conformance suite against a folder remote.
final class LocalRemoteConformanceTests: XCTestCase {
    private var folders: [ScratchDirectory] = []
    private var suite: RemoteConformance!

    override func setUpWithError() throws {
        suite = try RemoteConformance { [unowned self] in
            let folder = try ScratchDirectory("local-remote")
            folders.append(folder)
            return try LocalRemote(root: folder.path)
        }
    }

    override func tearDown() {
        suite = nil
        folders.removeAll()
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
        let wrapped = try RemoteConformance { [unowned self] in
            let folder = try ScratchDirectory("local-remote")
            folders.append(folder)
            return RetryingRemote(wrapping: try LocalRemote(root: folder.path), attempts: 3, baseDelay: 0.001)
        }
        try wrapped.checkRoundTripOfEmptySmallAndLargeFiles()
        try wrapped.checkListByPrefix()
        try wrapped.checkMissingFilesAreNotFound()
        try wrapped.checkInvalidNamesAreRejected()
        try wrapped.checkFailedUploadLeavesNothingVisible()
    }
}
