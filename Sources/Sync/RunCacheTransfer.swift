import Basics
import Remotes
import Workspace

/// The run-cache as the transfer sees it: entry files named `(key, name)`. Sync cannot import Pipeline (which owns
/// the entry format, docs/formats.md "Run-cache (format 1)"), so Pipeline's `RunCache` answers through this.
public protocol RunCacheEntryStore: Sendable {
    /// Every entry file present locally, sorted.
    func entryNames() throws -> [(key: String, name: String)]
    /// The local file of an entry.
    func entryPath(key: String, name: String) -> String
    /// The objects a remote must hold for the entry to be useful there (its outs that are cached and pushed); nil
    /// when the local entry is damaged (it is then not sent).
    func remoteObjects(key: String, name: String) -> [ObjectID]?
    /// Checks bytes downloaded from a remote (they hash to `name`, parse, belong to `key`) and stores them; throws
    /// a message naming the entry when they do not.
    func importEntry(_ bytes: [UInt8], key: String, name: String) throws
}

/// `push/fetch/pull --run-cache`: entries travel as files under `runs/<key[0..2]>/<key>/<name>` on the remote (the
/// same names as in the cache; remote layout in docs/formats.md). Entries are immutable and content-named, so a
/// name present on the other side is already the same entry: transfer is a listing and a set difference.
/// An entry is uploaded only after the objects it names are on the remote, so an entry on a remote is a promise
/// that its outputs can be pulled from there.
public enum RunCacheTransfer {
    static let prefix = "runs/"

    public struct Result: Sendable {
        public var entriesSent = 0
        public var entriesReceived = 0
        public var objectsSent = 0
        public var objectsFetched = 0
        /// Entries not sent: their objects are neither here nor on the remote (or the entry is damaged here).
        public var entriesSkipped = 0
        /// Entries received whose objects the remote lacks (pull): they stay, and simply never hit.
        public var objectsMissing = 0
        /// Remote entries that failed verification, one message each (not imported).
        public var damaged: [String] = []

        /// One line for the command to print.
        public var summary: String {
            var parts: [String] = []
            if entriesSent > 0 || objectsSent > 0 {
                parts.append("sent \(plural(entriesSent, "run-cache entry", "run-cache entries"))"
                    + (objectsSent > 0 ? " and \(Counted.of(objectsSent, "object"))" : ""))
            }
            if entriesReceived > 0 || objectsFetched > 0 {
                parts.append("received \(plural(entriesReceived, "run-cache entry", "run-cache entries"))"
                    + (objectsFetched > 0 ? " and \(Counted.of(objectsFetched, "object"))" : ""))
            }
            if entriesSkipped > 0 {
                parts.append("\(plural(entriesSkipped, "entry", "entries")) not sent (outputs not in the cache)")
            }
            if objectsMissing > 0 { parts.append("\(Counted.of(objectsMissing, "output")) not on the remote") }
            if !damaged.isEmpty { parts.append("\(plural(damaged.count, "damaged entry", "damaged entries")) skipped") }
            return parts.isEmpty ? "run-cache: up to date" : "run-cache: " + parts.joined(separator: ", ")
        }

        private func plural(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
    }

    static func remoteName(key: String, name: String) -> String { "runs/\(key.prefix(2))/\(key)/\(name)" }

    /// The `(key, name)` a remote file stands for; nil for anything that is not an entry name.
    static func parse(_ remoteName: String) -> (key: String, name: String)? {
        let parts = remoteName.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "runs", parts[1].utf8.count == 2, parts[2].hasPrefix(parts[1]),
              ObjectID(hex: parts[2]) != nil, ObjectID(hex: parts[3]) != nil else { return nil }
        return (String(parts[2]), String(parts[3]))
    }

    /// Sends the entries the remote lacks, objects first.
    public static func push(repo: CairnRepository, remote: any Remote, entries: any RunCacheEntryStore,
                            jobs: Int) throws -> Result {
        var result = Result()
        let scratch = try TransferFolder(cacheDirectory: repo.store.directory)
        defer { scratch.remove() }
        try RemoteLayout.check(remote, create: true, scratch: scratch.path)
        let there = Set(try remote.list(prefix: prefix).compactMap { parse($0.name).map { "\($0.key)/\($0.name)" } })
        var toSend: [(key: String, name: String, objects: [ObjectID])] = []
        for entry in try entries.entryNames() where !there.contains("\(entry.key)/\(entry.name)") {
            guard let objects = entries.remoteObjects(key: entry.key, name: entry.name) else {
                result.entriesSkipped += 1
                continue
            }
            toSend.append((entry.key, entry.name, objects))
        }
        if toSend.isEmpty { return result }
        var targets: [TransferTarget] = []
        var seen = Set<ObjectID>()
        for entry in toSend {
            for id in entry.objects where seen.insert(id).inserted {
                targets.append(TransferTarget(label: id.prefixed, id: id))
            }
        }
        let pushed = try PushOperation.run(repo: repo, remote: remote, targets: targets, jobs: jobs,
                                           progressEnabled: false)
        result.objectsSent = pushed.objectsSent
        let unavailable = Set(pushed.missingEverywhere)
        let ready = toSend.filter { entry in !entry.objects.contains { unavailable.contains($0.prefixed) } }
        result.entriesSkipped += toSend.count - ready.count
        try Parallel.forEachBlocking(ready.count, workers: jobs) { index in
            let entry = ready[index]
            try remote.upload(localFile: entries.entryPath(key: entry.key, name: entry.name),
                              as: remoteName(key: entry.key, name: entry.name))
        }
        result.entriesSent = ready.count
        return result
    }

    /// Receives the entries this cache lacks; with `objects` (pull) also the objects every remote entry names.
    public static func fetch(repo: CairnRepository, remote: any Remote, entries: any RunCacheEntryStore, jobs: Int,
                             objects: Bool) throws -> Result {
        var result = Result()
        let scratch = try TransferFolder(cacheDirectory: repo.store.directory)
        defer { scratch.remove() }
        guard try RemoteLayout.check(remote, create: false, scratch: scratch.path) else { return result }
        let here = Set(try entries.entryNames().map { "\($0.key)/\($0.name)" })
        let there = try remote.list(prefix: prefix).compactMap { parse($0.name) }
        let missing = there.filter { !here.contains("\($0.key)/\($0.name)") }
        let outcome = Locked((received: 0, damaged: [String](), damagedNames: Set<String>()))
        try Parallel.forEachBlocking(missing.count, workers: jobs) { index in
            let entry = missing[index]
            let name = remoteName(key: entry.key, name: entry.name)
            let local = scratch.file("\(index)-\(entry.name)")
            defer { try? FS.removeFile(local) }
            try remote.download(name, to: local)
            do {
                // Entries are a few hundred bytes; anything much larger is not one.
                if let size = try FS.stat(local)?.size, size > 4 << 20 {
                    throw CairnError("remote \(remote.displayName): \(name): \(size) bytes, too large for an entry")
                }
                try entries.importEntry(try FS.readAll(local), key: entry.key, name: entry.name)
                outcome.withLock { $0.received += 1 }
            } catch let error as CairnError where !error.isLocalIO {
                outcome.withLock {
                    $0.damaged.append("remote \(remote.displayName): \(error.message)")
                    $0.damagedNames.insert(entry.name)
                }
            }
        }
        let got = outcome.snapshot
        result.entriesReceived = got.received
        result.damaged = got.damaged.sorted()
        // Not an error: an entry is an optimisation, and the next run records a good one.
        for message in result.damaged { Diagnostics.warning("skipping run-cache entry: \(message)") }
        guard objects else { return result }
        var targets: [TransferTarget] = []
        var seen = Set<ObjectID>()
        for entry in there where !got.damagedNames.contains(entry.name) {
            for id in entries.remoteObjects(key: entry.key, name: entry.name) ?? [] where seen.insert(id).inserted {
                // Only what is missing here: a second pull of a large run-cache costs a listing, not a re-read.
                if try !repo.store.closure(of: [id]).missing.isEmpty {
                    targets.append(TransferTarget(label: id.prefixed, id: id))
                }
            }
        }
        if targets.isEmpty { return result }
        let fetched = try FetchOperation.run(repo: repo, remote: remote, targets: targets, jobs: jobs,
                                             verifyLocal: false, progressEnabled: false)
        result.objectsFetched = fetched.objectsFetched
        // Outputs damaged on the remote were not imported: their entries miss, as if the outputs were missing.
        result.objectsMissing = fetched.missing.count
        for message in fetched.damaged { Diagnostics.warning("run-cache output not fetched: \(message)") }
        return result
    }
}
