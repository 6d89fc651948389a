import Basics
import ObjectStore

/// A file below a tracked directory, as recorded in its tree.
public struct TreeFile: Sendable, Equatable {
    public var id: ObjectID
    public var size: UInt64
    public var executable: Bool
}

/// Builds Git-like hierarchical trees bottom-up from a flat list of files, so that one changed file only
/// rewrites the trees on its path, not a 100k-entry listing.
public enum TreeBuilder {
    /// `files` are keyed by path relative to the tracked directory; `directories` lists every directory
    /// (including empty ones). Returns the root tree's id, total size and file count. Keys are PathKeys: two
    /// names that differ only in Unicode normalization are two files.
    static func build(files: [PathKey: TreeFile], directories: [String], store: ObjectStore) throws
        -> (id: ObjectID, size: UInt64, fileCount: UInt64)
    {
        try build(files: files, directories: directories, writeTree: { try store.storeTree($0) })
    }

    /// The same trees, named but not stored: the id `cairn add` would give the directory.
    static func treeID(files: [PathKey: TreeFile], directories: [String]) throws
        -> (id: ObjectID, size: UInt64, fileCount: UInt64)
    {
        try build(files: files, directories: directories, writeTree: { tree in
            try tree.validate()
            return ObjectID.of(tree.encode())
        })
    }

    private static func build(files: [PathKey: TreeFile], directories: [String],
                              writeTree: (Tree) throws -> ObjectID) throws
        -> (id: ObjectID, size: UInt64, fileCount: UInt64)
    {
        var children: [PathKey: [TreeEntry]] = [PathKey(""): []]
        for dir in directories.map(PathKey.init) { children[dir] = children[dir] ?? [] }
        for (key, file) in files {
            let entry = TreeEntry(name: Paths.basename(key.path), kind: file.executable ? .executable : .file,
                                  id: file.id, size: file.size, fileCount: 1)
            children[PathKey(Paths.parent(key.path)), default: []].append(entry)
        }
        // Ensure every ancestor exists even if the caller's directory list missed it.
        for dir in Array(children.keys) where !dir.path.isEmpty {
            var parent = PathKey(Paths.parent(dir.path))
            while children[parent] == nil { children[parent] = []; parent = PathKey(Paths.parent(parent.path)) }
        }
        let ordered = children.keys.sorted { depth($0.path) > depth($1.path) }
        var result: (id: ObjectID, size: UInt64, fileCount: UInt64) = (ObjectID.empty, 0, 0)
        for dir in ordered {
            let entries = children[dir] ?? []   // Tree(entries:) puts them in canonical order
            let id = try writeTree(Tree(entries: entries))
            let size = entries.reduce(0) { $0 + $1.size }
            let count = entries.reduce(0) { $0 + $1.fileCount }
            if dir.path.isEmpty {
                result = (id, size, count)
            } else {
                children[PathKey(Paths.parent(dir.path)), default: []].append(
                    TreeEntry(name: Paths.basename(dir.path), kind: .directory, id: id, size: size, fileCount: count))
            }
        }
        return result
    }

    private static func depth(_ path: String) -> Int {
        path.isEmpty ? 0 : path.utf8.reduce(1) { $0 + ($1 == 47 ? 1 : 0) }
    }

    /// Every file and directory below a stored tree, keyed by path relative to it. Reads (and verifies)
    /// each subtree once.
    /// The same, with errors naming the tracked data they concern.
    public static func flatten(_ id: ObjectID, store: ObjectStore, dataPath: String) throws
        -> (files: [PathKey: TreeFile], directories: [String])
    {
        do { return try flatten(id, store: store) } catch let error as CairnError {
            throw CairnError("\(dataPath): \(error.message)")
        }
    }

    public static func flatten(_ id: ObjectID, store: ObjectStore) throws -> (files: [PathKey: TreeFile], directories: [String]) {
        var files: [PathKey: TreeFile] = [:]
        var directories: [String] = []
        var pending: [(String, ObjectID)] = [("", id)]
        while let (prefix, treeID) = pending.popLast() {
            let tree = try store.readTree(treeID)
            for entry in tree.entries {
                let path = prefix.isEmpty ? entry.name : prefix + "/" + entry.name
                switch entry.kind {
                case .directory:
                    directories.append(path)
                    pending.append((path, entry.id))
                case .file, .executable:
                    files[PathKey(path)] = TreeFile(id: entry.id, size: entry.size, executable: entry.kind == .executable)
                }
            }
        }
        return (files, directories)
    }
}
