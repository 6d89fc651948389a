import Basics
import Workspace
#if canImport(Glibc)
import Glibc
#endif

/// The run-cache (docs/formats.md "Run-cache (format 1)"): for each key (what a stage ran with, RunCacheKey), the
/// lock entries of the successful runs recorded under it. `cairn repro` looks a stage's key up before running it and,
/// on a hit whose outputs are all in the object store, checks them out instead of running.
///
/// Entries live next to the objects they name, in `<cache>/runs/<key[0..2]>/<key>/<sha256 of entry>`: a shared
/// cache (cache.dir, linked worktrees) shares its run-cache too. Each entry is a small immutable file written
/// atomically (temp + fsync + rename) under a name that is the hash of its bytes, so concurrent writers can only
/// ever write the same bytes to the same name. A damaged or unreadable entry is skipped with a warning.
public struct RunCache: Sendable {
    public static let directoryName = "runs"

    let repo: CairnRepository
    /// `<cache>/runs`.
    public let directory: String

    public init(repo: CairnRepository) {
        self.repo = repo
        self.directory = Paths.join(repo.cache.directory, RunCache.directoryName)
    }

    /// The key: SHA-256 over a canonical encoding of the pipeline directory, cmd, deps (path + id), params and out
    /// paths (+ cache flags) — never the out ids.
    public static func key(lockDirectory: String, stage: LockedStage) -> String {
        RunCacheKey.key(lockDirectory: lockDirectory, stage: stage)
    }

    /// The newest recorded entry for `stage`'s key whose outs are all present in the object store; nil if none.
    /// That includes `cache: false` outs (a metrics file kept in Git): `record` stores their content too, as DVC
    /// does, so that a hit can restore every out and not leave a stale metrics file beside a new lock entry.
    /// The answer is `stage` itself with the outs' ids, sizes and file counts of the recorded run (its `push` flags
    /// stay those of `stage`: they come from today's cairn.yaml, not from the key).
    public func lookup(lockDirectory: String, stage: LockedStage) throws -> LockedStage? {
        let key = RunCache.key(lockDirectory: lockDirectory, stage: stage)
        for entry in entries(key: key) {
            // The key covers both; a mismatch would take a SHA-256 collision, so it is only skipped.
            guard entry.lockDirectory == lockDirectory,
                  Set(entry.stage.outs.map(\.path)) == Set(stage.outs.map(\.path)) else { continue }
            guard try repo.store.closure(of: entry.stage.outs.map(\.id)).missing.isEmpty else { continue }
            var hit = stage
            hit.outs = stage.outs.map { wanted in
                guard var recorded = entry.stage.outs.first(where: { $0.path == wanted.path }) else { return wanted }
                recorded.push = wanted.push
                return recorded
            }
            return hit
        }
        return nil
    }

    /// Records a successful run. Recording a run that is already recorded (same bytes) only makes it the newest.
    /// A stage without outs is not recorded: there would be nothing to restore. The content of `cache: false` file
    /// outs is stored in the object store (not git-ignored, not pushed unless `push`, only kept for restoring).
    public func record(lockDirectory: String, stage: LockedStage) throws {
        guard !stage.outs.isEmpty else { return }
        try storeUncachedOuts(lockDirectory: lockDirectory, stage: stage)
        let key = RunCache.key(lockDirectory: lockDirectory, stage: stage)
        let text = RunCacheEntry(key: key, lockDirectory: lockDirectory, stage: stage).encode()
        try write(text, key: key)
    }

    /// A file out written with `cache: false` is stored when the work tree still holds the recorded content (a
    /// file changed since, or a directory, is left out: the entry then never hits, and the stage runs).
    private func storeUncachedOuts(lockDirectory: String, stage: LockedStage) throws {
        var stored = false
        for out in stage.outs where !out.cache && out.type == .file && !repo.store.hasFile(out.id) {
            let path = repo.absolute(LockPaths.repoPath(out.path, lockDirectory: lockDirectory))
            guard let stat = try FS.lstat(path), stat.isRegular, stat.size == out.size else { continue }
            _ = try repo.store.storeFile(path: path)
            stored = true
        }
        if stored { try repo.store.commit() }
    }

    /// Stores entry bytes under their content name in `key`'s folder (also used by fetch). Returns false when an
    /// entry with these bytes was already there (its mtime is then refreshed: newest wins at lookup).
    @discardableResult
    func write(_ text: String, key: String) throws -> Bool {
        let folder = keyDirectory(key)
        let path = Paths.join(folder, RunCacheEntry.name(of: text))
        if FS.exists(path) {
            utimensat(AT_FDCWD, path, nil, 0)   // best effort: another user's entry in a shared cache may refuse
            return false
        }
        try FS.makeDirectories(folder)
        try FS.writeAtomically(path, text, mode: repo.cache.groupWritable ? 0o664 : 0o644)
        RunCache.sweepTemporaryFiles(in: folder)
        return true
    }

    /// A writer killed between creating its temp file and the rename leaves `.cairn-tmp-*` behind (never read:
    /// readers skip dot files). The next writer of the same key removes those older than an hour, which no live
    /// writer of a file this small can still be using.
    static func sweepTemporaryFiles(in folder: String) {
        guard let names = try? FS.listDirectory(folder) else { return }
        let cutoff = FS.nowNs() - 3_600 * 1_000_000_000
        for entry in names where entry.name.hasPrefix(".cairn-tmp-") {
            let path = Paths.join(folder, entry.name)
            if let stat = try? FS.lstat(path), stat.isRegular, stat.mtimeNs < cutoff { try? FS.removeFile(path) }
        }
    }

    func keyDirectory(_ key: String) -> String {
        Paths.join(directory, String(key.prefix(2)), key)
    }

    /// The valid entries of `key`, newest first (mtime, then name: deterministic for equal times). Damaged ones
    /// (bytes that do not hash to their name, unparsable, another format) are skipped with a warning.
    func entries(key: String) -> [RunCacheEntry] {
        let folder = keyDirectory(key)
        guard let names = try? FS.listDirectory(folder) else { return [] }
        var found: [(mtime: Int64, name: String)] = []
        for entry in names where !entry.name.hasPrefix(".") {
            let path = Paths.join(folder, entry.name)
            guard let stat = try? FS.lstat(path), stat.isRegular else { continue }
            found.append((stat.mtimeNs, entry.name))
        }
        found.sort { ($0.mtime, $0.name) > ($1.mtime, $1.name) }
        return found.compactMap { try? read(key: key, name: $0.name, warn: true) }
    }

    /// Reads one entry file and checks it against its name; nil (with a warning if `warn`) when it is damaged.
    func read(key: String, name: String, warn: Bool) throws -> RunCacheEntry? {
        let path = Paths.join(keyDirectory(key), name)
        do {
            guard let text = try StructuredFileLoader.readText(path, display: display(key, name),
                                                               limits: .init(maxBytes: RunCacheEntry.maxBytes)) else {
                return nil
            }
            guard RunCacheEntry.name(of: text) == name else {
                throw CairnError("\(display(key, name)): content does not match its name (damaged)")
            }
            let entry = try RunCacheEntry.decode(text, file: display(key, name))
            guard entry.key == key else {
                throw CairnError("\(display(key, name)): recorded for key \(entry.key.prefix(12))…, not this one")
            }
            return entry
        } catch {
            if warn { Diagnostics.warning("skipping run-cache entry: \(error)") }
            return nil
        }
    }

    /// `runs/<2>/<key>/<name>` for messages: where in the cache, without the machine-specific prefix.
    func display(_ key: String, _ name: String?) -> String {
        let base = "\(RunCache.directoryName)/\(key.prefix(2))/\(key)"
        return name.map { "\(base)/\($0)" } ?? base
    }

    /// Every entry file in the run-cache as `(key, name)`, sorted; dot files (temp files of a writer) left out.
    func allEntryNames() throws -> [(key: String, name: String)] {
        var result: [(key: String, name: String)] = []
        guard FS.isDirectory(directory) else { return [] }
        for shard in try FS.listDirectory(directory).map(\.name).sorted() where shard.utf8.count == 2 {
            let shardPath = Paths.join(directory, shard)
            guard FS.isDirectory(shardPath) else { continue }
            for key in try FS.listDirectory(shardPath).map(\.name).sorted()
                where key.hasPrefix(shard) && ObjectID(hex: key) != nil {
                let keyPath = Paths.join(shardPath, key)
                guard FS.isDirectory(keyPath) else { continue }
                for name in try FS.listDirectory(keyPath).map(\.name).sorted()
                    where !name.hasPrefix(".") && ObjectID(hex: name) != nil {
                    result.append((key, name))
                }
            }
        }
        return result
    }
}
