import Basics

/// Turns the paths a user typed into repo-relative data paths, refusing anything cairn must not touch.
/// A target may name the data (`data/x.csv`) or its pointer (`data/x.csv.cairn`).
public enum TargetResolver {
    /// Repo-relative path for a user argument, after lexical normalisation against `cwd`. Refuses paths
    /// outside the work tree, the root itself, and anything inside `.git/` or `.cairn/`.
    public static func relativePath(_ argument: String, cwd: String, root: String) throws -> String {
        let absolute = Paths.absolute(argument, cwd: cwd)
        guard let rel = Paths.relative(absolute, to: root) else {
            throw CairnError("\(argument): outside the repository \(root)")
        }
        if rel.isEmpty { throw CairnError("\(argument): is the repository root; name the files or directories to track") }
        let first = rel.split(separator: "/").first.map(String.init) ?? rel
        if first == ".git" { throw CairnError("\(argument): inside .git/, which Git manages") }
        if first == ".cairn" { throw CairnError("\(argument): inside .cairn/, which cairn manages") }
        return rel
    }

    /// Strips a trailing `.cairn` so that pointer paths and data paths name the same target.
    public static func dataPath(forArgument rel: String) -> String {
        if rel.hasSuffix(PointerFile.suffix) && rel.count > PointerFile.suffix.count {
            return String(rel.dropLast(PointerFile.suffix.count))
        }
        return rel
    }

    /// Refuses a path whose parent directories include a symbolic link: following one could lead a write
    /// outside the repository.
    public static func checkNoSymlinkParents(_ rel: String, root: String) throws {
        var current = root
        let parts = rel.split(separator: "/").dropLast()
        for part in parts {
            current = Paths.join(current, String(part))
            if let st = try FS.lstat(current), st.isSymlink {
                throw CairnError("\(rel): its parent \(Paths.relative(current, to: root) ?? current) is a symbolic link;"
                    + " cairn does not follow symbolic links")
            }
        }
    }

    /// The nearest enclosing directory of `rel` that has a pointer, if any.
    static func trackedAncestor(of rel: String, root: String) -> String? {
        var parent = Paths.parent(rel)
        while !parent.isEmpty {
            if FS.exists(Paths.join(root, parent + PointerFile.suffix)) { return parent }
            parent = Paths.parent(parent)
        }
        return nil
    }

    /// A repo-relative path as the user would type it from `cwd` (as `git status` prints paths), so that
    /// printed paths and commands work as they are.
    public static func shown(_ repoPath: String, cwd: String, root: String) -> String {
        guard let here = Paths.relative(cwd, to: root), !here.isEmpty else { return repoPath }
        let a = here.split(separator: "/"), b = repoPath.split(separator: "/")
        var common = 0
        while common < a.count && common < b.count - 1 && a[common] == b[common] { common += 1 }
        let ups = Array(repeating: "..", count: a.count - common)
        return (ups + b[common...].map(String.init)).joined(separator: "/")
    }

    /// Tracked data selected by user arguments: each argument names a pointer (by data or pointer path), an
    /// output recorded in a lock file (by its path), a lock file (all its outputs), or a directory whose tracked
    /// data is all selected. No arguments: every pointer and every recorded output in the work tree.
    /// With `unreadable`, a pointer or lock file that cannot be loaded (conflict markers, moved by `git mv`,
    /// malformed) is passed to it and skipped, so one bad file does not stop the command for all the others.
    public static func trackedTargets(_ arguments: [String], cwd: String, root: String,
                                      unreadable: ((CairnError) -> Void)? = nil) throws -> [TrackedData] {
        var pointerPaths: [String] = []
        var recorded: [TrackedData] = []
        func take(_ records: [(path: String, entries: Result<[TrackedData], CairnError>)]) throws {
            for record in records {
                switch record.entries {
                case .success(let entries): recorded += entries
                case .failure(let error):
                    guard let unreadable else { throw error }
                    unreadable(error)
                }
            }
        }
        func covering(_ rel: String, inside: Bool) throws -> [TrackedData] {
            do { return try RecordedData.covering(rel, root: root, inside: inside) } catch let error as CairnError {
                guard let unreadable else { throw error }
                unreadable(error)
                return []
            }
        }
        if arguments.isEmpty {
            let found = try PointerScanner.find(root: root)
            pointerPaths = found.pointers
            try take(found.records)
        } else {
            for argument in arguments {
                let rel = try relativePath(argument, cwd: cwd, root: root)
                let data = dataPath(forArgument: rel)
                let pointer = data + PointerFile.suffix
                try checkNoSymlinkParents(pointer, root: root)
                if FS.exists(Paths.join(root, pointer)) {
                    pointerPaths.append(pointer)
                } else if TrackedDataProviders.isRecordFile(rel), FS.exists(Paths.join(root, rel)) {
                    let before = recorded.count
                    try take([(rel, Result { () throws(CairnError) in try loadRecord(root: root, path: rel) })])
                    if recorded.count == before && unreadable == nil {
                        throw CairnError("\(argument): records no outputs that cairn stores")
                    }
                } else if case let exact = try covering(data, inside: false), !exact.isEmpty {
                    recorded += exact
                } else if FS.isDirectory(Paths.join(root, rel)) {
                    let inside = try PointerScanner.find(root: root, under: rel)
                    let above = try covering(rel, inside: true)
                    guard !inside.pointers.isEmpty || !inside.records.isEmpty || !above.isEmpty else {
                        throw CairnError("\(argument): no data tracked by cairn in this directory")
                    }
                    pointerPaths += inside.pointers
                    recorded += above
                    try take(inside.records)
                } else if let owner = trackedAncestor(of: data, root: root) {
                    throw CairnError("\(argument): part of \(owner), which cairn tracks as a whole; name \(owner) instead")
                } else if let output = RecordedData.owner(of: data, root: root) {
                    throw CairnError("\(argument): part of \(output.dataPath), an output of stage \(output.stage ?? "?") in"
                        + " \(output.pointerPath), which cairn tracks as a whole; name \(output.dataPath) instead")
                } else {
                    throw CairnError("\(argument): not tracked by cairn (no \(pointer))")
                }
            }
        }
        var seen = Set<PathKey>()   // by bytes: NFC and NFD twins are two pointers
        let shown = { (path: String) in TargetResolver.shown(path, cwd: cwd, root: root) }
        let pointers = try pointerPaths.filter { seen.insert(PathKey($0)).inserted }.sorted(by: Paths.bytewiseLess).compactMap { path in
            do { return try PointerScanner.load(root: root, pointerPath: path, shown: shown) } catch let error as CairnError {
                guard let unreadable else { throw error }
                unreadable(error)
                return nil
            }
        }
        // A path tracked both ways (which `repro` refuses to create) is taken from its pointer.
        var data = Set(pointers.map { PathKey($0.dataPath) })
        let outputs = recorded.filter { data.insert(PathKey($0.dataPath)).inserted }
        if outputs.isEmpty { return pointers }
        // Ordered as pointers always were (by pointer path): an output sorts where its pointer would.
        return (pointers + outputs).sorted { Paths.bytewiseLess($0.dataPath + PointerFile.suffix, $1.dataPath + PointerFile.suffix) }
    }

    private static func loadRecord(root: String, path: String) throws(CairnError) -> [TrackedData] {
        do { return try RecordedData.load(root: root, path: path) } catch let error as CairnError { throw error }
        catch { throw CairnError("\(path): \(error)") }
    }
}
