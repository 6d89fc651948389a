import Foundation
import XCTest

/// Issue 9 item 5: a full disk is an error (one line, exit 1), never a crash, and never a reason to delete
/// state.db or lineage.db. The repository lives on a small tmpfs that the test fills.
final class DiskFullTests: EndToEndTestCase {
    private var mounts: [String] = []

    override func tearDown() {
        for mountPoint in mounts { umount2(mountPoint, Int32(MNT_DETACH)) }
        mounts.removeAll()
        super.tearDown()
    }

    /// A fresh repository on its own small tmpfs, with one file added and committed.
    private func repoOnSmallDisk() throws -> (TempRepo, String) {
        let outer = try makeRepo(initialized: false, git: false)
        let disk = outer.base + "/disk"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        guard mount("tmpfs", disk, "tmpfs", 0, "size=4m") == 0 else {
            let why = "cannot mount a tmpfs here (errno \(errno)): the disk-full tests need root"
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail(why) }
            throw XCTSkip(why)
        }
        mounts.append(disk)
        let root = disk + "/repo"
        try outer.shell("git init -q '\(root)'").assertSuccess()
        return (outer, root)
    }

    private func fill(_ disk: String) {
        // Write zeros until the file system refuses: the disk is then 100 % full.
        guard let handle = FileHandle(forWritingAtPath: disk + "/fill") ?? {
            FileManager.default.createFile(atPath: disk + "/fill", contents: nil)
            return FileHandle(forWritingAtPath: disk + "/fill")
        }() else { return }
        let block = Data(count: 64 << 10)
        while (try? handle.write(contentsOf: block)) != nil {}
        try? handle.close()
    }

    func testFullDiskIsAnErrorAndKeepsTheDatabases() throws {
        let (outer, root) = try repoOnSmallDisk()
        let disk = (root as NSString).deletingLastPathComponent
        try outer.cairnArgsProcess(["init"], cwd: root, env: [:]).run().assertSuccess()
        _ = try outer.writeRandom(root + "/a.bin", size: 100_000, seed: 3)
        try outer.cairnArgsProcess(["add", "a.bin"], cwd: root, env: [:]).run().assertSuccess()
        try outer.cairnArgsProcess(["log", "a.bin"], cwd: root, env: [:]).run().assertSuccess()
        XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/.cairn/state.db"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/.cairn/lineage.db"))
        fill(disk)

        // Reading still works (the stat cache is an optimisation), with a warning.
        let status = try outer.cairnArgsProcess(["status"], cwd: root, env: [:]).run()
        status.assertNoCrash()
        XCTAssertEqual(status.exitCode, 0, status.transcript)
        // Writing new data fails as one clear line.
        _ = try? outer.writeRandom(root + "/b.bin", size: 50_000, seed: 4)
        for arguments in [["add", "a.bin", "b.bin"], ["checkout", "--force"], ["status"], ["fsck"]] {
            let result = try outer.cairnArgsProcess(arguments, cwd: root, env: [:]).run()
            result.assertNoCrash()
            XCTAssertTrue([0, 1].contains(result.exitCode), result.transcript)
            if result.exitCode == 1 {
                XCTAssertTrue(result.stderr.lowercased().contains("no space left"), result.transcript)
            }
        }
        // Nothing was deleted or moved aside because of the full disk.
        let files = try FileManager.default.contentsOfDirectory(atPath: root + "/.cairn")
        XCTAssertTrue(files.contains("state.db"), "\(files)")
        XCTAssertTrue(files.contains("lineage.db"), "\(files)")
        XCTAssertFalse(files.contains { $0.contains(".damaged-") }, "a full disk is not damage: \(files)")

        // Once there is room again, everything works and the committed version is intact.
        try FileManager.default.removeItem(atPath: disk + "/fill")
        try outer.cairnArgsProcess(["fsck"], cwd: root, env: [:]).run().assertSuccess()
        try outer.cairnArgsProcess(["log", "a.bin"], cwd: root, env: [:]).run().assertSuccess()
    }
}
