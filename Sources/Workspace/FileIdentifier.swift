import Basics
import Dispatch
import Lineage
import ObjectStore

/// Finds the id of files in the work tree, re-reading only those the stat cache cannot vouch for, and
/// optionally storing their content. Thread-safe: workers call it concurrently; new stat-cache entries are
/// gathered and written in one transaction by `save()`.
final class FileIdentifier: @unchecked Sendable {
    /// nil when state.db could not be opened (a full disk, an I/O error): every file is then hashed.
    private let statCache: StatCache?
    private let fresh = Locked<[(path: String, stat: FileStat, id: ObjectID, observedNs: Int64)]>([])
    // Loaded on a background thread (100k rows take tens of ms) while the caller scans the work tree.
    private var loaded: [String: StatCacheEntry] = [:]
    private let loading = DispatchGroup()

    /// See TimestampPrecision: 100 ms on local file systems with nanosecond timestamps, else 1 s.
    let racyMarginNs: Int64

    init(statCache: StatCache?, racyMarginNs: Int64 = StatCache.racyMarginNs) throws {
        self.statCache = statCache
        self.racyMarginNs = racyMarginNs
        loading.enter()
        DispatchQueue.global().async { [self] in
            // The cache is an optimisation: if it cannot be read, everything is simply re-hashed.
            loaded = (try? statCache?.loadAll()) ?? [:]
            loading.leave()
        }
    }

    private var known: [String: StatCacheEntry] {
        loading.wait()
        return loaded
    }

    /// The id the stat cache vouches for, without reading the file; nil when it cannot.
    func cachedID(_ repoPath: String, stat: FileStat) -> ObjectID? {
        FileIdentifier.cachedID(in: known, repoPath, stat: stat, marginNs: racyMarginNs)
    }

    /// All entries (waits for the background load). Loops over 100k files take this once and use the
    /// static `cachedID(in:)`, instead of waiting and copying the dictionary reference per file.
    func entries() -> [String: StatCacheEntry] { known }

    static func cachedID(in entries: [String: StatCacheEntry], _ repoPath: String, stat: FileStat,
                         marginNs: Int64) -> ObjectID? {
        guard let entry = entries[repoPath],
              StatCache.trusted(entry, current: stat,
                                marginNs: TimestampPrecision.margin(for: entry, directoryMargin: marginNs))
        else { return nil }
        return entry.id
    }

    /// Hashes the file unless the stat cache knows it. `observedNs` is the time taken before `stat` was read.
    func hash(_ repoPath: String, absolute: String, stat: FileStat, observedNs: Int64) throws -> ObjectID {
        if let id = cachedID(repoPath, stat: stat) { return id }
        let (id, _) = try ContentHasher.hashFile(absolute)
        remember(repoPath, stat: stat, id: id, observedNs: observedNs)
        return id
    }

    /// Stores the file's content unless the stat cache knows it and the store already has that id.
    func store(_ repoPath: String, absolute: String, stat: FileStat, observedNs: Int64,
               into store: ObjectStore, progress: Progress?) throws -> (id: ObjectID, size: UInt64) {
        if let id = cachedID(repoPath, stat: stat), store.hasFile(id) {
            progress?.advance(by: Int64(stat.size))
            return (id, stat.size)
        }
        let stored = try store.storeFile(path: absolute, progress: progress)
        // The size read may differ from the stat if the file changed meanwhile; then the stat entry will not
        // match next time either, because the file's mtime moved on. Record only consistent observations.
        if stored.size == stat.size { remember(repoPath, stat: stat, id: stored.id, observedNs: observedNs) }
        return stored
    }

    func remember(_ repoPath: String, stat: FileStat, id: ObjectID, observedNs: Int64) {
        fresh.withLock { $0.append((repoPath, stat, id, observedNs)) }
    }

    private let saving = DispatchGroup()

    /// Starts `save()` on another thread, so that writing 100k rows overlaps with building trees.
    /// `save()` (or `waitForSave()`) must still be called before the command ends.
    func saveInBackground() {
        saving.enter()
        DispatchQueue.global().async { [self] in
            writeObservations()
            saving.leave()
        }
    }

    func waitForSave() { saving.wait() }

    /// Writes the new observations to state.db. The cache is an optimisation: failing to save is not fatal.
    func save() {
        saving.wait()
        writeObservations()
    }

    private func writeObservations() {
        let items = fresh.withLock { items -> [(path: String, stat: FileStat, id: ObjectID, observedNs: Int64)] in
            defer { items.removeAll() }
            return items
        }
        guard !items.isEmpty, let statCache else { return }
        do { try statCache.record(items) } catch {
            Diagnostics.warning("could not update the stat cache: \(error)")
        }
    }
}
