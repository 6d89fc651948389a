import Basics
import GitBridge
import ObjectStore

/// Time travel: the data as it was at a commit, into the work tree (`checkout --rev`, HEAD not moved) or to
/// any other place (`get --rev ... -o OUT`).
public enum RevisionCheckout {
    /// The pointers at `revision` selected by `arguments` (all of them when there are none). Malformed
    /// pointers are errors here: the user asked for exactly that data.
    public static func targets(repo: CairnRepository, revision: String, arguments: [String],
                               cwd: String) throws -> [TrackedData] {
        let commit = try repo.git.resolve(revision)
        let pointers = try RevisionPointers.load(git: repo.git, commit: commit, strict: true)
        return try RevisionPointers.select(arguments, from: pointers, cwd: cwd, root: repo.root,
                                           where: "at \(revision) (\(commit.shortSha))")
    }

    public struct Written: Sendable {
        public var path: String
        public var files: Int
        public var bytes: UInt64
    }

    /// Writes the tracked file or directory `argument` as it was at `revision` to `output`, which must not
    /// exist yet. A file inside a tracked directory may be named too.
    public static func get(repo: CairnRepository, revision: String, argument: String, output: String,
                           cwd: String) throws -> Written {
        let commit = try repo.git.resolve(revision)
        let rel = TargetResolver.dataPath(forArgument: try TargetResolver.relativePath(argument, cwd: cwd, root: repo.root))
        let destination = Paths.absolute(output, cwd: cwd)
        if try FS.lstat(destination) != nil { throw CairnError("\(output): already exists; cairn get does not overwrite") }
        let place = "at \(revision) (\(commit.shortSha))"
        // The tracked path itself, or the tracked directory above it.
        var tracked = rel
        var found: TrackedData?
        while !tracked.isEmpty {
            found = try RevisionPointers.pointer(git: repo.git, commit: commit, pointerPath: tracked + PointerFile.suffix)
            if found != nil { break }
            tracked = Paths.parent(tracked)
        }
        guard let found else { throw CairnError("\(argument): not tracked by cairn \(place)") }
        let pointer = found.pointer
        if pointer.type == .file {
            try materialize(pointer.id, dataPath: found.dataPath, to: destination, executable: pointer.executable, repo: repo)
            return Written(path: destination, files: 1, bytes: pointer.size)
        }
        guard repo.store.hasObject(pointer.id) else {
            throw CairnError("\(found.dataPath): object \(pointer.id.prefixed) \(place) is not in the cache"
                + CheckoutPlan.fetchHint)
        }
        var tree = try TreeBuilder.flatten(pointer.id, store: repo.store)
        if tracked != rel {
            let inner = String(rel.dropFirst(tracked.count + 1))
            if let file = tree.files[PathKey(inner)] {
                try materialize(file.id, dataPath: rel, to: destination, executable: file.executable, repo: repo)
                return Written(path: destination, files: 1, bytes: file.size)
            }
            let prefix = inner + "/"
            let files = tree.files.filter { $0.key.path.utf8.starts(with: prefix.utf8) }
            guard !files.isEmpty || tree.directories.contains(where: { Paths.sameBytes($0, inner) }) else {
                throw CairnError("\(argument): no such file in \(tracked) \(place)")
            }
            tree = (Dictionary(uniqueKeysWithValues: files.map { (PathKey(String($0.key.path.utf8.dropFirst(prefix.utf8.count))!), $0.value) }),
                    tree.directories.filter { $0.utf8.starts(with: prefix.utf8) }.map { String($0.utf8.dropFirst(prefix.utf8.count))! })
        }
        // Check every object first, so a missing one writes nothing.
        for (path, file) in tree.files where !repo.store.hasFile(file.id) {
            throw CairnError("\(tracked)/\(path): object \(file.id.prefixed) \(place) is not in the cache"
                + CheckoutPlan.fetchHint)
        }
        try FS.makeDirectories(destination)
        for directory in tree.directories.sorted(by: Paths.bytewiseLess) { try FS.makeDirectories(Paths.join(destination, directory)) }
        var bytes: UInt64 = 0
        for (key, file) in tree.files.sorted(by: { $0.key < $1.key }) {
            let target = Paths.join(destination, key.path)
            try FS.makeDirectories(Paths.parent(target))
            try repo.store.materialize(file.id, to: target, executable: file.executable)
            bytes += file.size
        }
        return Written(path: destination, files: tree.files.count, bytes: bytes)
    }

    private static func materialize(_ id: ObjectID, dataPath: String, to destination: String, executable: Bool,
                                    repo: CairnRepository) throws {
        guard repo.store.hasFile(id) else {
            throw CairnError("\(dataPath): object \(id.prefixed) is not in the cache" + CheckoutPlan.fetchHint)
        }
        let parent = Paths.parent(destination)
        if !parent.isEmpty && !FS.isDirectory(parent) {
            throw CairnError("\(parent): no such directory (cannot write \(destination))")
        }
        try repo.store.materialize(id, to: destination, executable: executable)
    }
}
