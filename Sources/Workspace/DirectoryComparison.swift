import Basics
import ObjectStore

/// How a tracked directory in the work tree differs from its recorded tree.
struct DirectoryComparison: Sendable {
    var added: [String] = []        // paths relative to the tracked directory
    var modified: [String] = []
    var removed: [String] = []
    var unchanged: [String] = []
    /// Ids of work-tree files that differ from the tree (added and modified), when they were computed.
    var currentIDs: [String: ObjectID] = [:]
    var scan: DirectoryScan

    var isClean: Bool { added.isEmpty && modified.isEmpty && removed.isEmpty }

    /// Compares the directory at `dataPath` with `recorded`. With `identifyChanges`, the id of every added or
    /// modified file is computed too (checkout needs it to know whether a local edit is safe to overwrite);
    /// without it, a size difference alone marks a file modified and it is not read.
    static func compare(dataPath: String, repo: CairnRepository, recorded: [String: TreeFile],
                        identifier: FileIdentifier, identifyChanges: Bool) throws -> DirectoryComparison {
        let abs = repo.absolute(dataPath)
        let observed = FS.nowNs()
        let scan = try DirectoryScanner.scan(abs)
        PhaseTimer.mark("scan")
        var result = DirectoryComparison(scan: scan)
        var toHash: [(path: String, stat: FileStat, tracked: Bool)] = []
        var present = Set<String>()
        present.reserveCapacity(scan.files.count)
        for file in scan.files {
            present.insert(file.path)
            if let expected = recorded[file.path] {
                if let id = identifier.cachedID(dataPath + "/" + file.path, stat: file.stat) {
                    if id == expected.id { result.unchanged.append(file.path) } else {
                        result.modified.append(file.path)
                        result.currentIDs[file.path] = id
                    }
                } else if file.stat.size != expected.size && !identifyChanges {
                    result.modified.append(file.path)
                } else {
                    toHash.append((file.path, file.stat, true))
                }
            } else if identifyChanges {
                toHash.append((file.path, file.stat, false))
            } else {
                result.added.append(file.path)
            }
        }
        let hashed = Locked([String: ObjectID]())
        let work = toHash
        try Parallel.forEach(work.count) { i in
            let item = work[i]
            let id = try identifier.hash(dataPath + "/" + item.path, absolute: abs + "/" + item.path,
                                         stat: item.stat, observedNs: observed)
            hashed.withLock { $0[item.path] = id }
        }
        let ids = hashed.snapshot
        for item in work {
            guard let id = ids[item.path] else { continue }
            if !item.tracked {
                result.added.append(item.path)
                result.currentIDs[item.path] = id
            } else if recorded[item.path]?.id == id {
                result.unchanged.append(item.path)
            } else {
                result.modified.append(item.path)
                result.currentIDs[item.path] = id
            }
        }
        for path in recorded.keys where !present.contains(path) { result.removed.append(path) }
        result.added.sort()
        result.modified.sort()
        result.removed.sort()
        return result
    }
}
