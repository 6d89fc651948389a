import Basics
import GitBridge
import Lineage
import ObjectStore

/// Lineage of a file inside a tracked directory, which `log` already accepts. The database records versions of
/// tracked paths only, so the file's versions come from the directory's trees (as `log` reads them): the
/// version is the file's content in the directory, introduced where its entry last took that content; the
/// versions around it in the file's log are the ones it replaced and was replaced by; runs that read or wrote
/// the directory's version are the file's too.
extension LineageQuery {
    /// The tracked directory (in the work tree, or at `revision`) that `rel` lies inside, if any.
    static func directoryAbove(_ rel: String, repo: CairnRepository, revision: String?) throws -> TrackedData? {
        var parent = Paths.parent(rel)
        let commit = try revision.map { try repo.git.resolve($0) }
        while !parent.isEmpty {
            let pointerPath = parent + PointerFile.suffix
            if let commit {
                if let found = try RevisionPointers.tracked(git: repo.git, commit: commit, dataPath: parent) {
                    return found.pointer.type == .directory ? found : nil
                }
            } else if FS.exists(repo.absolute(pointerPath)) {
                let found = try PointerScanner.load(root: repo.root, pointerPath: pointerPath)
                return found.pointer.type == .directory ? found : nil
            } else if let found = try RecordedData.covering(parent, root: repo.root).first {
                // A directory a stage wrote (an output in cairn.lock).
                return found.pointer.type == .directory ? found : nil
            }
            parent = Paths.parent(parent)
        }
        return nil
    }

    static func fileInside(repo: CairnRepository, store: LineageStore, path: String, owner: TrackedData,
                           argument: String, cwd: String, downstream: Bool) throws -> Report {
        let inner = String(path.dropFirst(owner.dataPath.count + 1))
        guard let found = try LogOperation.entry(inner, in: owner.pointer.id, store: repo.store) else {
            throw CairnError("\(owner.dataPath): its tree \(owner.pointer.id.prefixed) is not in the cache"
                + CheckoutPlan.fetchHint)
        }
        guard let file = found else { throw CairnError("\(argument): no such file in \(owner.dataPath)") }
        let log = (try? LogOperation.run(repo: repo, argument: path, cwd: repo.root).entries) ?? []
        func version(_ entry: LogOperation.Entry?, id: String, size: Int64?) -> Version {
            Version(path: path, id: id, size: size, commit: entry?.commit, author: entry?.author, time: entry?.time,
                    timeOffsetMinutes: entry?.timeOffsetMinutes, subject: entry?.subject,
                    pending: entry != nil && entry?.commit == nil)
        }
        // Newest first: the newest entry that gave the file this content introduced this version.
        let index = log.firstIndex { $0.id == file.id.prefixed }
        let this = version(index.map { log[$0] }, id: file.id.prefixed, size: Int64(file.size))
        var edges: [Edge] = []
        if let index {
            let neighbour = downstream ? (index > 0 ? log[index - 1] : nil) : (index + 1 < log.count ? log[index + 1] : nil)
            if let neighbour, let id = neighbour.id {
                let other = version(neighbour, id: id, size: neighbour.size)
                edges.append(Edge(from: downstream ? this : other, to: downstream ? other : this,
                                  relation: "replaces", runID: nil))
            }
        }
        // Runs see the directory: what they read or wrote of it holds for every file inside.
        let directoryKey = VersionKey(path: owner.dataPath, objectID: owner.pointer.id)
        for edge in try store.lineage(of: directoryKey, downstream: downstream) where edge.relation == .derived {
            edges.append(Edge(from: try describe(edge.from, store: store), to: try describe(edge.to, store: store),
                              relation: edge.relation.rawValue, runID: edge.runID))
        }
        return Report(version: this, direction: downstream ? "downstream" : "upstream", edges: edges)
    }
}
