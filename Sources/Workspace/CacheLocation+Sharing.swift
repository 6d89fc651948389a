import Basics
import GitBridge
#if canImport(Glibc)
import Glibc
#endif

/// Locking and registration of the work trees that use one cache.
extension CacheLocation {
    var worktreesDirectory: String { Paths.join(directory, "worktrees") }

    /// Creates the cache folder, applies `cache.shared = group`, takes the cache lock in `lockMode` and, when the
    /// cache is shared, registers `root` as one of its users (so `gc` elsewhere keeps this work tree's data).
    func prepare(root: String, lockMode: FileLock.Mode) throws -> FileLock {
        if groupWritable {
            // Everything cairn creates from here on is group-writable; set-group-id folders keep the group.
            umask(0o002)
        }
        try FS.makeDirectories(directory)
        if groupWritable { try setGroupBits(directory) }
        let lock = try FileLock(path: Paths.join(directory, "lock"), mode: lockMode)
        if isShared { try register(root) }
        return lock
    }

    private func setGroupBits(_ folder: String) throws {
        guard let stat = try FS.lstat(folder), stat.isDirectory, stat.mode & 0o2070 != 0o2070 else { return }
        try FS.chmod(folder, mode_t(stat.mode & 0o7777) | 0o2070)
    }

    /// One small file per user: `worktrees/<sha256(root) prefix>` holding the work tree's path.
    private func register(_ root: String) throws {
        let entry = Paths.join(worktreesDirectory, CacheLocation.entryName(root))
        if (try? FS.readString(entry)) == root + "\n" { return }
        try FS.makeDirectories(worktreesDirectory)
        if groupWritable { try setGroupBits(worktreesDirectory) }
        try FS.writeAtomically(entry, root + "\n", mode: groupWritable ? 0o664 : 0o644)
    }

    /// Forgets `root` as a user of this cache (a temporary worktree that is being removed, so `gc` need not find
    /// out that it is gone).
    public func unregister(_ root: String) {
        let entry = Paths.join(worktreesDirectory, CacheLocation.entryName(root))
        if FS.exists(entry) { try? FS.removeFile(entry) }
    }

    static func entryName(_ root: String) -> String { String(ObjectID.of(Array(root.utf8)).hex.prefix(24)) }

    /// The other work trees that use this cache and still do: every registered one whose `.cairn` resolves to
    /// this very folder, plus the work tree that owns it (`X/.cairn/cache` belongs to X). Registrations of work
    /// trees that are gone or now use another cache are dropped when `prune` is set (only under the exclusive
    /// cache lock).
    public func otherUsers(than root: String, prune: Bool) throws -> [String] {
        var candidates: [String] = []
        if Paths.basename(directory) == "cache", Paths.basename(Paths.parent(directory)) == CairnRepository.directoryName {
            candidates.append(Paths.parent(Paths.parent(directory)))
        }
        let registered = FS.isDirectory(worktreesDirectory) ? try FS.listDirectory(worktreesDirectory) : []
        var stale: [String] = []
        for entry in registered where !entry.name.hasPrefix(".") {
            let path = Paths.join(worktreesDirectory, entry.name)
            guard let text = try? FS.readString(path), text.hasSuffix("\n") else { stale.append(path); continue }
            candidates.append(String(text.dropLast()))
        }
        var users: [String] = []
        for candidate in candidates where candidate != root && !users.contains(candidate) {
            if usesThisCache(candidate) {
                users.append(candidate)
            } else {
                stale.append(Paths.join(worktreesDirectory, CacheLocation.entryName(candidate)))
            }
        }
        if prune { for path in stale where FS.exists(path) { try FS.removeFile(path) } }
        return users
    }

    private func usesThisCache(_ worktree: String) -> Bool {
        let dotCairn = Paths.join(worktree, CairnRepository.directoryName)
        guard FS.exists(Paths.join(dotCairn, "format")),
              let git = try? GitRepository.discover(startingAt: worktree), git.workdir == worktree,
              let config = try? RepoConfig.load(dotCairn: dotCairn),
              let location = try? CacheLocation.resolve(root: worktree, dotCairn: dotCairn, git: git, config: config)
        else { return false }
        return location.directory == directory
    }
}
