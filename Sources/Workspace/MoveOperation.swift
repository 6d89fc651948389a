import Basics
import Lineage
import ObjectStore

/// `cairn mv SRC DST`: moves tracked data and its pointer together, rewrites the pointer's `path` and moves the
/// .gitignore entry. Git itself is not touched: the result says which paths the user stages.
///
/// It also finishes a move begun with `git mv x.cairn y.cairn`: then SRC's pointer is gone and DST's pointer
/// still names SRC, and only the data, the `path` line and the .gitignore entries are left to move.
public enum MoveOperation {
    public struct Result: Sendable {
        public var source: String
        public var destination: String
        /// False when there was no data at SRC to move (not checked out): only the pointer moved.
        public var movedData: Bool
        /// Repo-relative paths to `git add` (the new pointer, changed .gitignore files).
        public var toAdd: [String]
        /// Repo-relative paths that left the work tree but are in Git's index: `git rm --cached` them.
        public var toRemove: [String]
    }

    public static func run(repo: CairnRepository, source: String, destination: String, cwd: String,
                           force: Bool) throws -> Result {
        let shown = { (path: String) in TargetResolver.shown(path, cwd: cwd, root: repo.root) }
        let src = TargetResolver.dataPath(forArgument: try TargetResolver.relativePath(source, cwd: cwd, root: repo.root))
        // The work tree root is a fine directory to move into, though not a name for data.
        let intoRoot = Paths.relative(Paths.absolute(destination, cwd: cwd), to: repo.root) == ""
        var dst = intoRoot ? "" : TargetResolver.dataPath(
            forArgument: try TargetResolver.relativePath(destination, cwd: cwd, root: repo.root))
        try TargetResolver.checkNoSymlinkParents(src + PointerFile.suffix, root: repo.root)
        let srcPointer = src + PointerFile.suffix
        let pointer: PointerFile
        var finishing = false
        if FS.exists(repo.absolute(srcPointer)) {
            pointer = try PointerScanner.load(root: repo.root, pointerPath: srcPointer, shown: shown).pointer
            // Into an existing directory that is not itself tracked data, as mv(1) does.
            if intoRoot || FS.isDirectory(repo.absolute(dst)) && !FS.exists(repo.absolute(dst + PointerFile.suffix)) {
                dst = Paths.join(dst, Paths.basename(src))
            }
        } else if !intoRoot, let moved = try movedByGit(repo: repo, source: src, destination: dst) {
            pointer = moved
            finishing = true
        } else if let output = RecordedData.owner(of: src, root: repo.root) {
            throw RecordedData.refusal(source, path: src, output: output, verb: "mv")
        } else if let owner = TargetResolver.trackedAncestor(of: src, root: repo.root) {
            throw CairnError("\(source): part of \(shown(owner)), which cairn tracks as a whole; move \(shown(owner)) instead")
        } else {
            throw CairnError("\(source): not tracked by cairn (no \(shown(srcPointer)))")
        }
        let dstPointer = dst + PointerFile.suffix
        try TargetResolver.checkNoSymlinkParents(dstPointer, root: repo.root)
        try checkDestination(repo: repo, source: src, destination: dst, finishing: finishing, force: force,
                             shown: shown)

        // Order chosen so that an interruption never leaves data un-ignored or unnamed by any pointer: ignore
        // the new name, write the new pointer, move the data, then drop the old pointer and the old entry.
        let ignoreAdded = try GitignoreFile.add(dataPath: dst, root: repo.root)
        var moved = pointer
        moved.path = Paths.basename(dst)
        if force && !finishing { try FS.removeTree(repo.absolute(dst)) }
        try FS.makeDirectories(repo.absolute(Paths.parent(dst)))
        try FS.writeAtomically(repo.absolute(dstPointer), moved.encode())
        let before = try FS.lstat(repo.absolute(src))
        let movedData = before != nil
        if movedData { try FS.rename(repo.absolute(src), repo.absolute(dst)) }
        if !finishing { try FS.removeFile(repo.absolute(srcPointer)) }
        let ignoreRemoved = try GitignoreFile.remove(dataPath: src, root: repo.root)
        if let statCache = try? repo.openStatCache() {
            if let before { try? carry(statCache, from: src, to: dst, before: before, root: repo.root) }
            try? statCache.remove(pathsUnder: src)
        }
        LineageIndexer.recordPending(repo: repo, pointers: [TrackedData(pointerPath: dstPointer, dataPath: dst, pointer: moved)])

        var toAdd = [dstPointer]
        var gone: [String] = []
        if !finishing { gone.append(srcPointer) }
        for path in [ignoreAdded, ignoreRemoved.flatMap { $0.deleted ? nil : $0.path }].compactMap({ $0 })
        where !toAdd.contains(path) { toAdd.append(path) }
        if let removed = ignoreRemoved, removed.deleted { gone.append(removed.path) }
        let inIndex = try repo.git.areTracked(gone)
        return Result(source: src, destination: dst, movedData: movedData, toAdd: toAdd,
                      toRemove: zip(gone, inIndex).filter { $0.1 }.map { $0.0 })
    }

    /// Moves what the stat cache knows along with the data, so the first status after moving a large dataset
    /// does not read it all again. Files inside a moved directory keep their stat exactly; a moved file keeps
    /// all but the ctime the rename sets, and is carried only when the rest is unchanged. The racy-git rule
    /// still applies to every carried entry, since each keeps the time its content was observed.
    private static func carry(_ statCache: StatCache, from src: String, to dst: String, before: FileStat,
                              root: String) throws {
        let entries = try statCache.loadAll()
        var items: [(path: String, stat: FileStat, id: ObjectID, observedNs: Int64)] = []
        if before.isDirectory {
            for (path, entry) in entries where path.hasPrefix(src + "/") {
                items.append((dst + path.dropFirst(src.count), entry.stat, entry.id, entry.observedNs))
            }
        } else if let entry = entries[src], entry.stat == before, let after = try FS.lstat(Paths.join(root, dst)),
                  after.inode == before.inode, after.size == before.size, after.mtimeNs == before.mtimeNs,
                  after.mode == before.mode {
            items.append((dst, after, entry.id, entry.observedNs))
        }
        try statCache.record(items)
    }

    /// The pointer at `destination` when it is SRC's pointer moved there by `git mv` (its `path` still names SRC).
    private static func movedByGit(repo: CairnRepository, source: String, destination: String) throws -> PointerFile? {
        let dstPointer = destination + PointerFile.suffix
        guard FS.exists(repo.absolute(dstPointer)),
              let text = try? FS.readString(repo.absolute(dstPointer)) else { return nil }
        return try? PointerFile.decode(text, file: dstPointer, expectedName: Paths.basename(source))
    }

    private static func checkDestination(repo: CairnRepository, source: String, destination: String,
                                         finishing: Bool, force: Bool, shown: (String) -> String) throws {
        let name = shown(destination)
        if destination == source { throw CairnError("\(name): source and destination are the same") }
        if destination.hasPrefix(source + "/") { throw CairnError("\(name): cannot move \(shown(source)) into itself") }
        if Paths.basename(destination).hasSuffix(PointerFile.suffix) {
            throw CairnError("\(name): names a pointer file; name the data instead")
        }
        if destination.contains("\n") || destination.contains("\r") {
            throw CairnError("\(name.debugDescription): the name contains a line break, which .gitignore cannot express")
        }
        if let owner = TargetResolver.trackedAncestor(of: destination, root: repo.root) {
            throw CairnError("\(name): inside \(shown(owner)), which cairn tracks as a whole")
        }
        if let output = RecordedData.owner(of: destination, root: repo.root) {
            throw RecordedData.refusal(name, path: destination, output: output, verb: "mv")
        }
        if try repo.git.isTracked(destination) {
            throw CairnError("\(name): tracked by Git; cairn does not replace files Git tracks")
        }
        guard !finishing else {
            if try FS.lstat(repo.absolute(destination)) != nil && FS.exists(repo.absolute(source)) {
                throw CairnError("\(name): already exists; move or remove it, then run cairn mv again")
            }
            return
        }
        let taken = [destination, destination + PointerFile.suffix].filter { (try? FS.lstat(repo.absolute($0))) != nil }
        if let first = taken.first, !force {
            throw CairnError("\(shown(first)): already exists; use --force to replace it")
        }
        if force, taken.contains(destination), !FS.exists(repo.absolute(destination + PointerFile.suffix)),
           FS.isDirectory(repo.absolute(destination)) {
            // A plain directory the user owns is never deleted to make room: mv(1) would not either.
            throw CairnError("\(name): is a directory that cairn does not track; move into it without naming the new name")
        }
    }
}
