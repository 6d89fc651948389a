import Basics
import GitBridge
import ObjectStore

/// Time travel: the data as it was at a commit, into the work tree (`checkout --rev`, HEAD not moved) or to
/// any other place (`get --rev ... -o OUT`).
public enum RevisionCheckout {
    /// The pointers at `revision` selected by `arguments` (all of them when there are none). Malformed
    /// pointers are errors here: the user asked for exactly that data. An argument inside a tracked directory
    /// selects just that file or subdirectory, as a pointer of its own made from the directory's tree.
    public static func targets(repo: CairnRepository, revision: String, arguments: [String],
                               cwd: String) throws -> [TrackedData] {
        let commit = try repo.git.resolve(revision)
        let pointers = try RevisionPointers.load(git: repo.git, commit: commit, strict: true)
        let place = "at \(revision) (\(commit.shortSha))"
        var inside: [TrackedData] = []
        var direct: [String] = []
        for argument in arguments {
            let rel = TargetResolver.dataPath(forArgument: try TargetResolver.relativePath(argument, cwd: cwd, root: repo.root))
            if let owner = pointers.first(where: { $0.pointer.type == .directory && rel.hasPrefix($0.dataPath + "/") }) {
                inside.append(try part(rel, of: owner, argument: argument, repo: repo, place: place))
            } else {
                direct.append(argument)
            }
        }
        var chosen: [String: TrackedData] = [:]
        if arguments.isEmpty || !direct.isEmpty {
            for target in try RevisionPointers.select(direct, from: pointers, cwd: cwd, root: repo.root, where: place) {
                chosen[target.dataPath] = target
            }
        }
        for target in inside where !chosen.keys.contains(where: { target.dataPath.hasPrefix($0 + "/") }) {
            chosen[target.dataPath] = target
        }
        return chosen.values.sorted { $0.dataPath < $1.dataPath }
    }

    /// The file or subdirectory `rel` of the tracked directory `owner`, as a pointer that names its entry in
    /// the directory's tree (never written to disk: checkout only uses it to know what to write where).
    private static func part(_ rel: String, of owner: TrackedData, argument: String, repo: CairnRepository,
                             place: String) throws -> TrackedData {
        var treeID = owner.pointer.id
        let parts = rel.dropFirst(owner.dataPath.count + 1).split(separator: "/").map(String.init)
        var found: TreeEntry?
        for (index, name) in parts.enumerated() {
            guard repo.store.hasObject(treeID) else {
                throw CairnError("\(owner.dataPath): tree \(treeID.prefixed) \(place) is not in the cache"
                    + CheckoutPlan.fetchHint)
            }
            guard let entry = try repo.store.readTree(treeID).entry(named: name),
                  index == parts.count - 1 || entry.kind == .directory else {
                throw CairnError("\(argument): no such file in \(owner.dataPath) \(place)")
            }
            found = entry
            treeID = entry.id
        }
        guard let entry = found else { throw CairnError("\(argument): no such file in \(owner.dataPath) \(place)") }
        let pointer = entry.kind == .directory
            ? PointerFile(path: entry.name, type: .directory, id: entry.id, size: entry.size, files: entry.fileCount)
            : PointerFile(path: entry.name, type: .file, id: entry.id, size: entry.size,
                          executable: entry.kind == .executable)
        return TrackedData(pointerPath: rel + PointerFile.suffix, dataPath: rel, pointer: pointer)
    }

    public struct Written: Sendable {
        public var path: String
        public var files: Int
        public var bytes: UInt64
    }

    /// Writes the tracked file or directory `argument` as it was at `revision` to `output` (default: its name in
    /// `cwd`, as `dvc get` does), which must not exist yet; with `force` an existing file there is replaced
    /// (never a directory). A file inside a tracked directory may be named too.
    public static func get(repo: CairnRepository, revision: String, argument: String, output: String?,
                           cwd: String, force: Bool = false) throws -> Written {
        let commit = try repo.git.resolve(revision)
        let rel = TargetResolver.dataPath(forArgument: try TargetResolver.relativePath(argument, cwd: cwd, root: repo.root))
        let output = output ?? Paths.basename(rel)
        let destination = Paths.absolute(output, cwd: cwd)
        if let existing = try FS.lstat(destination) {
            if existing.isDirectory {
                throw CairnError("\(output): already exists and is a directory; choose another place with -o")
            }
            if !force { throw CairnError("\(output): already exists; use --force to replace it, or -o to choose another place") }
        }
        let place = "at \(revision) (\(commit.shortSha))"
        // The tracked path itself, or the tracked directory above it.
        var tracked = rel
        var found: TrackedData?
        while !tracked.isEmpty {
            found = try RevisionPointers.tracked(git: repo.git, commit: commit, dataPath: tracked)
            if found != nil { break }
            tracked = Paths.parent(tracked)
        }
        guard let found else { throw CairnError("\(argument): not tracked by cairn \(place)") }
        let pointer = found.pointer
        if pointer.type == .file {
            try materialize(pointer.id, dataPath: found.dataPath, to: destination, executable: pointer.executable,
                            force: force, repo: repo)
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
                try materialize(file.id, dataPath: rel, to: destination, executable: file.executable, force: force,
                                repo: repo)
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
        try replaceIfForced(destination, force: force)
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

    /// Removes the file `--force` replaces, only once everything needed to write the new one is known to be there.
    private static func replaceIfForced(_ destination: String, force: Bool) throws {
        if force, let st = try FS.lstat(destination), !st.isDirectory { try FS.removeFile(destination) }
    }

    private static func materialize(_ id: ObjectID, dataPath: String, to destination: String, executable: Bool,
                                    force: Bool, repo: CairnRepository) throws {
        guard repo.store.hasFile(id) else {
            throw CairnError("\(dataPath): object \(id.prefixed) is not in the cache" + CheckoutPlan.fetchHint)
        }
        let parent = Paths.parent(destination)
        if !parent.isEmpty && !FS.isDirectory(parent) {
            throw CairnError("\(parent): no such directory (cannot write \(destination))")
        }
        try replaceIfForced(destination, force: force)
        try repo.store.materialize(id, to: destination, executable: executable)
    }
}
