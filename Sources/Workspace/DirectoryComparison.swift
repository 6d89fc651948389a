import Basics
import ObjectStore

/// How a tracked directory in the work tree differs from its recorded tree.
struct DirectoryComparison: Sendable {
    var added: [String] = []        // paths relative to the tracked directory
    var modified: [String] = []
    var removed: [String] = []
    var unchanged: [String] = []
    /// Ids of work-tree files that differ from the tree (added and modified), when they were computed.
    var currentIDs: [PathKey: ObjectID] = [:]
    var scan: DirectoryScan

    var isClean: Bool { added.isEmpty && modified.isEmpty && removed.isEmpty }

    /// Compares the directory at `dataPath` with `recorded`. With `identifyChanges`, the id of every added or
    /// modified file is computed too (checkout needs it to know whether a local edit is safe to overwrite);
    /// without it, a size difference alone marks a file modified and it is not read.
    /// Paths are matched by their bytes (PathKey): NFC and NFD twins are two files.
    static func compare(dataPath: String, repo: CairnRepository, recorded: [PathKey: TreeFile],
                        identifier: FileIdentifier, identifyChanges: Bool) throws -> DirectoryComparison {
        let abs = repo.absolute(dataPath)
        let observed = FS.nowNs()
        let scan = try DirectoryScanner.scan(abs)
        PhaseTimer.mark("scan")
        var result = DirectoryComparison(scan: scan)
        // Classify in parallel slices: for 100k unchanged files this loop (two hash lookups per file) is a
        // third of a status, and it only reads shared state.
        struct Slice { var unchanged: [String] = []; var modified: [String] = []; var added: [String] = []
                       var ids: [PathKey: ObjectID] = [:]; var toHash: [(path: String, stat: FileStat, tracked: Bool)] = []
                       var matched = 0 }
        let files = scan.files
        let sliceCount = max(1, min(Parallel.workers * 4, files.count / 2048))
        let slices = Locked([Int: Slice]())
        let prefix = dataPath + "/"
        let known = identifier.entries()
        try Parallel.forEach(sliceCount) { k in
            var slice = Slice()
            let lower = files.count * k / sliceCount, upper = files.count * (k + 1) / sliceCount
            for file in files[lower..<upper] {
                if let expected = recorded[PathKey(file.path)] {
                    slice.matched += 1
                    if let id = FileIdentifier.cachedID(in: known, prefix + file.path, stat: file.stat,
                                                           marginNs: identifier.racyMarginNs) {
                        if id == expected.id { slice.unchanged.append(file.path) } else {
                            slice.modified.append(file.path)
                            slice.ids[PathKey(file.path)] = id
                        }
                    } else if file.stat.size != expected.size && !identifyChanges {
                        slice.modified.append(file.path)
                    } else {
                        slice.toHash.append((file.path, file.stat, true))
                    }
                } else if identifyChanges {
                    slice.toHash.append((file.path, file.stat, false))
                } else {
                    slice.added.append(file.path)
                }
            }
            slices.withLock { $0[k] = slice }
        }
        var toHash: [(path: String, stat: FileStat, tracked: Bool)] = []
        var matched = 0
        let finished = slices.snapshot
        for k in 0..<sliceCount {
            guard let slice = finished[k] else { continue }
            result.unchanged += slice.unchanged
            result.modified += slice.modified
            result.added += slice.added
            result.currentIDs.merge(slice.ids) { a, _ in a }
            toHash += slice.toHash
            matched += slice.matched
        }
        let hashed = Locked([PathKey: ObjectID]())
        let work = toHash
        try Parallel.forEach(work.count) { i in
            let item = work[i]
            let id = try identifier.hash(dataPath + "/" + item.path, absolute: abs + "/" + item.path,
                                         stat: item.stat, observedNs: observed)
            hashed.withLock { $0[PathKey(item.path)] = id }
        }
        let ids = hashed.snapshot
        for item in work {
            guard let id = ids[PathKey(item.path)] else { continue }
            if !item.tracked {
                result.added.append(item.path)
                result.currentIDs[PathKey(item.path)] = id
            } else if recorded[PathKey(item.path)]?.id == id {
                result.unchanged.append(item.path)
            } else {
                result.modified.append(item.path)
                result.currentIDs[PathKey(item.path)] = id
            }
        }
        if matched != recorded.count {
            let present = Set(files.map { PathKey($0.path) })
            for key in recorded.keys where !present.contains(key) { result.removed.append(key.path) }
        }
        result.added.sort(by: Paths.bytewiseLess)
        result.modified.sort(by: Paths.bytewiseLess)
        result.removed.sort(by: Paths.bytewiseLess)
        return result
    }
}
