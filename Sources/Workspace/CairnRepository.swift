import Basics
import GitBridge
import Lineage
import ObjectStore

/// A cairn repository: the Git work tree it lives in plus the `.cairn/` directory beside `.git`.
/// Opening one checks the format version, takes the repository lock and sweeps what an interrupted
/// command left behind, so every command starts from a consistent state.
public final class CairnRepository: @unchecked Sendable {
    public static let formatVersion = 1
    public static let directoryName = ".cairn"

    public let git: GitRepository
    /// Absolute path of the work tree root (no trailing slash).
    public let root: String
    /// Absolute path of `.cairn/`.
    public let dotCairn: String
    public let config: RepoConfig
    public let store: ObjectStore
    /// Where `store` lives and whether other work trees use it too.
    public let cache: CacheLocation
    private let lock: FileLock
    private let cacheLock: FileLock

    /// Opens the repository that contains `cwd`. `lockMode` is `.exclusive` for commands that write.
    /// `warn` receives one line for each repair the store made on the way (a pack index rebuilt, a damaged pack
    /// moved to quarantine), with paths relative to the work tree.
    public static func open(cwd: String, lockMode: FileLock.Mode,
                            warn: (String) -> Void = { Diagnostics.warning($0) }) throws -> CairnRepository {
        let git = try GitRepository.discover(startingAt: cwd)
        let root = git.workdir
        let dotCairn = Paths.join(root, directoryName)
        guard FS.isDirectory(dotCairn) else {
            throw CairnError("not a cairn repository: run 'cairn init' in \(root)")
        }
        try checkFormat(dotCairn)
        try RepositoryInit.repairIgnore(dotCairn)
        let lock = try FileLock(path: Paths.join(dotCairn, "lock"), mode: lockMode)
        let config = try RepoConfig.load(dotCairn: dotCairn)
        let cache = try CacheLocation.resolve(root: root, dotCairn: dotCairn, git: git, config: config)
        // The store has a lock of its own, because other work trees may share it (a linked worktree, cache.dir).
        // Always repository lock first, then the cache lock: one order everywhere, so no two cairns deadlock.
        let cacheLock = try cache.prepare(root: root, lockMode: lockMode)
        PhaseTimer.mark("discover + lock + config")
        let store = try ObjectStore(directory: cache.directory, compressionLevel: config.compressionLevel)
        let repo = CairnRepository(git: git, dotCairn: dotCairn, config: config, store: store, cache: cache,
                                   lock: lock, cacheLock: cacheLock)
        PhaseTimer.mark("open store")
        if lockMode == .exclusive {
            // Only a holder of the exclusive lock may sweep: no other cairn can be writing temp files now.
            try repo.store.sweepTemporaryFiles { action in
                warn(action.replacingOccurrences(of: root + "/", with: ""))
            }
            try repo.sweepTemp()
        }
        return repo
    }

    private init(git: GitRepository, dotCairn: String, config: RepoConfig, store: ObjectStore, cache: CacheLocation,
                 lock: FileLock, cacheLock: FileLock) {
        self.git = git
        self.store = store
        self.root = git.workdir
        self.dotCairn = dotCairn
        self.config = config
        self.cache = cache
        self.lock = lock
        self.cacheLock = cacheLock
    }

    /// The stat cache; a missing or broken state.db is recreated by StatCache itself.
    public func openStatCache() throws -> StatCache {
        try StatCache(path: Paths.join(dotCairn, "state.db"))
    }

    /// Stat cache plus the racy-git margin for this work tree's file system.
    /// The stat cache is an optimisation: when state.db cannot be opened for a reason that says nothing about its
    /// contents (a full disk, an I/O error), the command goes on hashing every file, and the file is kept.
    func makeFileIdentifier() throws -> FileIdentifier {
        let statCache: StatCache?
        do {
            statCache = try openStatCache()
        } catch let error as CairnError where error.isLocalIO {
            Diagnostics.warning("the stat cache is unavailable (\(error.message)); hashing every file instead")
            statCache = nil
        }
        return try FileIdentifier(statCache: statCache, racyMarginNs: TimestampPrecision.racyMargin(forDirectory: root))
    }

    private func sweepTemp() throws {
        let tmp = Paths.join(dotCairn, "tmp")
        guard FS.isDirectory(tmp) else { try FS.makeDirectories(tmp); return }
        for entry in try FS.listDirectory(tmp) { try FS.removeFile(Paths.join(tmp, entry.name)) }
    }

    package static func checkFormat(_ dotCairn: String) throws {
        let path = Paths.join(dotCairn, "format")
        guard let raw = try StructuredFileLoader.readText(path, display: path, limits: .init(maxBytes: 4096)) else {
            throw CairnError("\(path): missing; this .cairn directory is incomplete (run 'cairn init' again)")
        }
        let text = raw.trimmingWhitespace
        guard let version = Int(text) else {
            throw CairnError("\(path): not a format version number: '\(text.prefix(40))'")
        }
        if version > formatVersion {
            throw CairnError("\(path): repository format \(version) is newer than this cairn supports"
                + " (\(formatVersion)); upgrade cairn")
        }
        if version < 1 { throw CairnError("\(path): invalid repository format \(version)") }
    }

    /// Repo-relative path → absolute path.
    public func absolute(_ relative: String) -> String { relative.isEmpty ? root : Paths.join(root, relative) }
}
