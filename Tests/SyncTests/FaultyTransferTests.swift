import Basics
import Foundation
import Remotes
import Sync
import Workspace
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A remote that fails one chosen call (the N-th upload, download or listing) and passes the rest to a real
/// folder remote: what an unreliable network or server does in the middle of a transfer.
final class FaultyRemote: Remote, @unchecked Sendable {
    enum Call: Sendable { case upload, download, list }
    let inner: LocalRemote
    let call: Call
    let nth: Int
    private let counts = Locked<[Int]>([0, 0, 0])
    /// Whether the failure was injected: a run that never made the N-th call cannot have failed from it.
    let fired = Locked(false)

    init(_ inner: LocalRemote, failing call: Call, nth: Int) {
        self.inner = inner; self.call = call; self.nth = nth
    }

    var displayName: String { inner.displayName }

    private func check(_ which: Call, _ index: Int) throws {
        let count = counts.withLock { $0[index] += 1; return $0[index] }
        if which == call && count == nth {
            fired.withLock { $0 = true }
            throw CairnError("injected failure of \(which) #\(count)")
        }
    }

    func exists(_ name: String) throws -> Bool { try inner.exists(name) }
    func list(prefix: String) throws -> [RemoteFileInfo] { try check(.list, 2); return try inner.list(prefix: prefix) }
    func upload(localFile: String, as name: String) throws {
        try check(.upload, 0); try inner.upload(localFile: localFile, as: name)
    }
    func download(_ name: String, to localFile: String) throws {
        try check(.download, 1); try inner.download(name, to: localFile)
    }
    func delete(_ name: String) throws { try inner.delete(name) }
}

/// Issue 8, items 10 and 11: push and fetch interrupted by a failing remote leave nothing inconsistent and the
/// next run completes; a local disk failure during fetch is reported as such, not as damage on the remote.
final class FaultyTransferTests: XCTestCase {
    private var base = ""

    override func setUpWithError() throws {
        var template = Array((NSTemporaryDirectory() + "/cairn-faulty-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CairnError("mkdtemp failed") }
        base = String(cString: made)
    }

    override func tearDownWithError() throws { try FS.removeTree(base) }

    private func makeRepository(_ name: String) throws -> CairnRepository {
        let root = Paths.join(base, name)
        try FS.makeDirectories(root)
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        git.arguments = ["init", "-q", root]
        try git.run()
        git.waitUntilExit()
        _ = try RepositoryInit.run(cwd: root)
        return try CairnRepository.open(cwd: root, lockMode: .exclusive, warn: { _ in })
    }

    /// Stores a few files in `repo`, each in its own pack (one commit each) so transfers have several packs.
    private func storeFiles(_ repo: CairnRepository, count: Int) throws -> [TransferTarget] {
        var targets: [TransferTarget] = []
        for i in 0..<count {
            let path = Paths.join(base, "input-\(i).bin")
            try FS.writeAtomically(path, (0..<(150_000 + i)).map { UInt8(truncatingIfNeeded: $0 &* (i + 7)) })
            let (id, _) = try repo.store.storeFile(path: path)
            try repo.store.commit()
            targets.append(TransferTarget(label: "input-\(i).bin", id: id))
        }
        return targets
    }

    private func remoteFolder() throws -> LocalRemote {
        let path = Paths.join(base, "remote")
        try FS.makeDirectories(path)
        return try LocalRemote(root: path)
    }

    func testPushInterruptedByAFailingUploadCompletesOnTheNextRun() throws {
        let repo = try makeRepository("a")
        let targets = try storeFiles(repo, count: 3)
        let remote = try remoteFolder()
        // The first upload is the pack, the second its index: fail each once (the first run uploads nothing).
        for nth in 1...2 {
            let faulty = FaultyRemote(remote, failing: .upload, nth: nth)
            XCTAssertThrowsError(try PushOperation.run(repo: repo, remote: faulty, targets: targets, jobs: 1,
                                                       progressEnabled: false), "upload #\(nth)")
            XCTAssertTrue(faulty.fired.snapshot, "upload #\(nth) was never made")
        }
        let pushed = try PushOperation.run(repo: repo, remote: remote, targets: targets, jobs: 1, progressEnabled: false)
        XCTAssertTrue(pushed.missingEverywhere.isEmpty)

        let copy = try makeRepository("b")
        let fetched = try FetchOperation.run(repo: copy, remote: remote, targets: targets, jobs: 1, progressEnabled: false)
        XCTAssertEqual(fetched.damaged, [])
        XCTAssertEqual(fetched.missing, [])
        for target in targets { XCTAssertTrue(copy.store.hasFile(target.id), target.label) }
    }

    func testFetchInterruptedByAFailingDownloadOrListingCompletesOnTheNextRun() throws {
        let repo = try makeRepository("a")
        let targets = try storeFiles(repo, count: 3)
        let remote = try remoteFolder()
        _ = try PushOperation.run(repo: repo, remote: remote, targets: targets, jobs: 1, progressEnabled: false)

        let copy = try makeRepository("b")
        var injected = 0
        for (call, nth) in [(FaultyRemote.Call.download, 1), (.download, 2), (.list, 1), (.list, 2)] {
            let faulty = FaultyRemote(remote, failing: call, nth: nth)
            do {
                _ = try FetchOperation.run(repo: copy, remote: faulty, targets: targets, jobs: 1, progressEnabled: false)
                XCTAssertFalse(faulty.fired.snapshot, "\(call) #\(nth) failed but the fetch succeeded")
            } catch {
                XCTAssertTrue(faulty.fired.snapshot, "\(call) #\(nth): \(error)")
                XCTAssertTrue("\(error)".contains("injected failure"), "\(call) #\(nth): \(error)")
                injected += 1
            }
            // Whatever arrived before the failure is complete and readable.
            for target in targets where copy.store.hasObject(target.id) {
                XCTAssertTrue(copy.store.hasFile(target.id), target.label)
            }
        }
        XCTAssertGreaterThanOrEqual(injected, 2, "a failing download and a failing listing must each stop a fetch")
        let fetched = try FetchOperation.run(repo: copy, remote: remote, targets: targets, jobs: 1, progressEnabled: false)
        XCTAssertEqual(fetched.damaged, [])
        XCTAssertEqual(fetched.missing, [])
        for target in targets { XCTAssertTrue(copy.store.hasFile(target.id), target.label) }
    }

    /// Before the fix a full disk while importing a downloaded pack was listed as "fails verification" on the
    /// remote, which sends users to repair a remote that is fine.
    func testALocalDiskFailureDuringFetchIsNotReportedAsRemoteDamage() throws {
        let repo = try makeRepository("a")
        let targets = try storeFiles(repo, count: 2)
        let remote = try remoteFolder()
        _ = try PushOperation.run(repo: repo, remote: remote, targets: targets, jobs: 1, progressEnabled: false)

        let copy = try makeRepository("b")
        // Exactly the step that used to be blamed on the remote: moving a downloaded, verified pack into the
        // local cache (any other failing call would not pass through the import's error handling).
        var adoptFails = Syscalls.system
        adoptFails.rename = { from, to in
            if String(cString: to).contains("/.cairn/cache/packs/") { errno = ENOSPC; return -1 }
            return rename(from, to)
        }
        for (call, table) in [("rename into the cache", adoptFails), ("fsync", Syscalls.failing("fsync", errno: ENOSPC))] {
            XCTAssertThrowsError(try Syscalls.withTable(table) {
                try FetchOperation.run(repo: copy, remote: remote, targets: targets, jobs: 1, progressEnabled: false)
            }) { error in
                XCTAssertEqual((error as? CairnError)?.kind, .noSpace, "\(call): \(error)")
                XCTAssertTrue("\(error)".contains("No space left on device"), "\(error)")
            }
        }
        let fetched = try FetchOperation.run(repo: copy, remote: remote, targets: targets, jobs: 1, progressEnabled: false)
        XCTAssertEqual(fetched.damaged, [])
        for target in targets { XCTAssertTrue(copy.store.hasFile(target.id), target.label) }
    }
}
