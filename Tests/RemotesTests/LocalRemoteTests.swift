import Basics
import XCTest
@testable import Remotes

/// What is particular to folder remotes; the common behaviour is in LocalRemoteConformanceTests.
final class LocalRemoteTests: XCTestCase {
    func testMissingRootFolderIsAClearError() throws {
        let scratch = try ScratchDirectory()
        let missing = scratch.file("not-mounted")
        XCTAssertThrowsError(try LocalRemote(root: missing)) { error in
            let remoteError = error as? RemoteError
            XCTAssertEqual(remoteError?.kind, .notFound)
            XCTAssertEqual("\(error)", "remote \(missing): the remote folder does not exist "
                + "(create it, or mount the share, first)")
        }
        XCTAssertFalse(FS.exists(missing), "opening must not create the folder")
    }

    func testRootThatIsAFileIsRejected() throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("plain", [1])
        XCTAssertThrowsError(try LocalRemote(root: file)) { error in
            XCTAssertTrue("\(error)".contains("not a folder"), "\(error)")
        }
    }

    func testOpensFromFileURLAndStoresFilesUnderTheirNames() throws {
        let scratch = try ScratchDirectory()
        let root = scratch.file("remote")
        try FS.makeDirectories(root)
        let remote = try LocalRemote(url: try RemoteURL.parse("file://\(root)/"))
        XCTAssertEqual(remote.root, root)
        XCTAssertEqual(remote.displayName, root)
        let source = try scratch.write("src", Array("x".utf8))
        try remote.upload(localFile: source, as: "packs/aa/p1")
        XCTAssertEqual(try FS.readString(Paths.join(root, "packs/aa/p1")), "x")
        XCTAssertThrowsError(try LocalRemote(url: try RemoteURL.parse("s3://bucket/p")))
    }

    func testTemporaryFilesOfOtherWritersAreNotListed() throws {
        let scratch = try ScratchDirectory()
        let remote = try LocalRemote(root: scratch.path)
        try scratch.write("packs/\(RemoteName.temporaryPrefix)999-1", [1, 2])
        try scratch.write("packs/real", [1])
        XCTAssertEqual(try remote.listAll().map(\.name), ["packs/real"])
    }

    func testDeletingTheLastFileRemovesEmptyFoldersButNotTheRoot() throws {
        let scratch = try ScratchDirectory()
        let remote = try LocalRemote(root: scratch.path)
        let source = try scratch.write("src", [7])
        try remote.upload(localFile: source, as: "a/b/c/file")
        try remote.delete("a/b/c/file")
        XCTAssertFalse(FS.exists(scratch.file("a")))
        XCTAssertTrue(FS.isDirectory(scratch.path))
    }

    func testDownloadReplacesTheDestinationAndLeavesNoTemporaryFiles() throws {
        let scratch = try ScratchDirectory()
        let root = scratch.file("remote")
        try FS.makeDirectories(root)
        let remote = try LocalRemote(root: root)
        let source = try scratch.write("local/src", Array("new".utf8))
        try remote.upload(localFile: source, as: "f")
        let destination = try scratch.write("local/dest", Array("old content".utf8))
        try remote.download("f", to: destination)
        XCTAssertEqual(try FS.readString(destination), "new")
        XCTAssertEqual(try FS.listDirectory(scratch.file("local")).map(\.name).sorted(), ["dest", "src"])
        XCTAssertEqual(try FS.listDirectory(root).map(\.name), ["f"])
    }

    func testErrnoClassification() {
        XCTAssertEqual(RemoteError.kind(forErrno: ENOSPC), .noSpace)
        XCTAssertEqual(RemoteError.kind(forErrno: EDQUOT), .noSpace)
        XCTAssertEqual(RemoteError.kind(forErrno: EACCES), .permissionDenied)
        XCTAssertEqual(RemoteError.kind(forErrno: EROFS), .permissionDenied)
        XCTAssertEqual(RemoteError.kind(forErrno: ENOENT), .notFound)
        XCTAssertEqual(RemoteError.kind(forErrno: ESTALE), .unreachable)
        XCTAssertEqual(RemoteError.kind(forErrno: EINVAL), .other)
        let full = RemoteError.posix("write", remote: "/mnt/team", name: "packs/p", errno: ENOSPC)
        XCTAssertEqual(full.description, "remote /mnt/team: packs/p: write failed: No space left on device")
        XCTAssertFalse(full.isRetriable)
    }

    /// A full remote disk, simulated with a tiny tmpfs when the test may mount one (root in a container);
    /// skipped elsewhere.
    func testFullDiskIsNoSpace() throws {
        let scratch = try ScratchDirectory()
        let mountPoint = scratch.file("tiny")
        try FS.makeDirectories(mountPoint)
        guard mount("tmpfs", mountPoint, "tmpfs", 0, "size=64k") == 0 else {
            throw XCTSkip("cannot mount a tmpfs here (errno \(errno))")
        }
        defer { umount(mountPoint) }
        let remote = try LocalRemote(root: mountPoint)
        let big = try scratch.write("big", pseudoRandomBytes(512 << 10, seed: 3))
        XCTAssertThrowsError(try remote.upload(localFile: big, as: "packs/big")) { error in
            XCTAssertEqual((error as? RemoteError)?.kind, .noSpace, "\(error)")
        }
        XCTAssertEqual(try remote.listAll(), [])
        XCTAssertEqual(try FS.listDirectory(Paths.join(mountPoint, "packs")).count, 0, "temporary file removed")
    }
}

extension LocalRemoteTests {
    /// A read-only share, simulated with a read-only tmpfs when the test may mount one; skipped elsewhere.
    func testReadOnlyFolderIsPermissionDenied() throws {
        let scratch = try ScratchDirectory()
        let mountPoint = scratch.file("readonly")
        try FS.makeDirectories(mountPoint)
        guard mount("tmpfs", mountPoint, "tmpfs", UInt(MS_RDONLY), "size=64k") == 0 else {
            throw XCTSkip("cannot mount a tmpfs here (errno \(errno))")
        }
        defer { umount(mountPoint) }
        let remote = try LocalRemote(root: mountPoint)
        let source = try scratch.write("src", [1, 2, 3])
        for name in ["top", "packs/aa/nested"] {
            XCTAssertThrowsError(try remote.upload(localFile: source, as: name)) { error in
                XCTAssertEqual((error as? RemoteError)?.kind, .permissionDenied, "\(error)")
                XCTAssertTrue("\(error)".hasPrefix("remote \(mountPoint): \(name): "), "\(error)")
            }
        }
    }

    func testRootRemovedAfterOpeningIsNotRecreated() throws {
        let scratch = try ScratchDirectory()
        let root = scratch.file("share")
        try FS.makeDirectories(root)
        let remote = try LocalRemote(root: root)
        FS.removeEmptyDirectory(root)
        let source = try scratch.write("src", [1])
        XCTAssertThrowsError(try remote.upload(localFile: source, as: "packs/p")) { error in
            XCTAssertEqual((error as? RemoteError)?.kind, .notFound, "\(error)")
            XCTAssertTrue("\(error)".contains("no longer exists"), "\(error)")
        }
        XCTAssertFalse(FS.exists(root))
    }

    func testFileInTheWayOfAFolderIsReported() throws {
        let scratch = try ScratchDirectory()
        let remote = try LocalRemote(root: scratch.path)
        let source = try scratch.write("src", [1])
        try remote.upload(localFile: source, as: "a")
        XCTAssertThrowsError(try remote.upload(localFile: source, as: "a/b")) { error in
            XCTAssertTrue("\(error)".contains("is a file, not a folder"), "\(error)")
        }
    }
}
