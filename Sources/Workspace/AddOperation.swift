import Basics
import Lineage
import ObjectStore

/// `cairn add`: stores files and directories and writes their pointer files.
/// Every target is checked before anything is written, objects are made durable before any pointer names
/// them, and pointers are written atomically: an interrupted add leaves either the old pointer or the new one.
public enum AddOperation {
    public struct Result: Sendable {
        public var dataPath: String
        public var pointerPath: String
        public var size: UInt64
        public var changed: Bool
        public var gitignore: String?
    }

    public static func run(repo: CairnRepository, arguments: [String], cwd: String,
                           kind: PointerFile.Kind?, desc: String?) throws -> [Result] {
        let targets = try validate(repo: repo, arguments: arguments, cwd: cwd)
        PhaseTimer.mark("validate")
        let identifier = try repo.makeFileIdentifier()
        PhaseTimer.mark("load stat cache")
        var pointers: [(String, PointerFile)] = []
        var previousPointers: [PathKey: PointerFile] = [:]
        for target in targets {
            let abs = repo.absolute(target)
            guard let st = try FS.lstat(abs) else { throw CairnError("\(target): no such file or directory") }
            let name = Paths.basename(target)
            var pointer: PointerFile
            if st.isDirectory {
                let stored = try storeDirectory(target, repo: repo, identifier: identifier)
                pointer = PointerFile(path: name, type: .directory, id: stored.id, size: stored.size, files: stored.fileCount)
            } else {
                let observed = FS.nowNs()
                guard let fresh = try FS.lstat(abs) else { throw CairnError("\(target): no such file or directory") }
                let progress = Progress("adding \(target)", total: Int64(fresh.size), unit: .bytes)
                let stored = try identifier.store(target, absolute: abs, stat: fresh, observedNs: observed,
                                                  into: repo.store, progress: progress)
                progress.finish()
                pointer = PointerFile(path: name, type: .file, id: stored.id, size: stored.size,
                                      executable: fresh.isExecutable)
            }
            let previous = try? PointerScanner.load(root: repo.root, pointerPath: target + PointerFile.suffix).pointer
            previousPointers[PathKey(target)] = previous
            if let previous, previous.id != pointer.id, try !hasData(of: previous, repo: repo) {
                warnReplacingUnseen(target, previous: previous, repo: repo)
            }
            pointer.kind = kind ?? previous?.kind
            pointer.desc = desc ?? previous?.desc
            pointers.append((target, pointer))
        }
        // Objects first, durably; only then the pointers that name them.
        try repo.store.commit()
        CrashPoint.addBeforePointers.reached()   // the data is stored, no pointer names it yet
        PhaseTimer.mark("commit store")
        identifier.save()
        PhaseTimer.mark("save stat cache")
        var results: [Result] = []
        for (target, pointer) in pointers {
            let pointerPath = target + PointerFile.suffix
            let changed = previousPointers[PathKey(target)] != pointer
            if changed { try FS.writeAtomically(repo.absolute(pointerPath), pointer.encode()) }
            let ignore = try GitignoreFile.add(dataPath: target, root: repo.root)
            results.append(Result(dataPath: target, pointerPath: pointerPath, size: pointer.size, changed: changed,
                                  gitignore: ignore ?? GitignoreFile.path(for: target)))
        }
        // After the pointers are written: a pending version names a pointer that exists.
        LineageIndexer.recordPending(repo: repo, pointers: pointers.map {
            TrackedData(pointerPath: $0.0 + PointerFile.suffix, dataPath: $0.0, pointer: $0.1)
        })
        return results
    }

    /// True when the cache holds all the data `pointer` names.
    static func hasData(of pointer: PointerFile, repo: CairnRepository) throws -> Bool {
        if pointer.type == .file { return repo.store.hasFile(pointer.id) }
        guard repo.store.hasObject(pointer.id) else { return false }
        let files = try TreeBuilder.flatten(pointer.id, store: repo.store).files
        return repo.store.hasFiles(files.values.lazy.map(\.id))
    }

    /// The pointer named a version this clone never had (typically: a fresh clone that did not pull), so the
    /// user is replacing data they have not seen. The add goes on (the old version stays in Git's history);
    /// the warning says how to get it when it came with HEAD.
    static func warnReplacingUnseen(_ target: String, previous: PointerFile, repo: CairnRepository) {
        var message = "\(target): this replaces the version its pointer named (\(previous.id.prefixed)), which is not"
            + " in the cache: you never had that version"
        let pointerPath = target + PointerFile.suffix
        if let head = try? repo.git.head(),
           let atHead = try? RevisionPointers.pointer(git: repo.git, commit: head, pointerPath: pointerPath),
           atHead.pointer.id == previous.id {
            message += "; `cairn fetch --rev HEAD` brings it into the cache, then"
                + " `cairn get --rev HEAD \(Shell.quoted(target)) -o OUT` writes it out"
        } else {
            message += "; `cairn pull` would have fetched it"
        }
        Diagnostics.warning(message)
    }

    /// All refusals happen here, before anything is written.
    static func validate(repo: CairnRepository, arguments: [String], cwd: String) throws -> [String] {
        var targets: [String] = []
        for argument in arguments {
            let spelled = try TargetResolver.relativePath(argument, cwd: cwd, root: repo.root)
            let rel = TargetResolver.dataPath(forArgument: spelled)
            if spelled != rel, try FS.lstat(repo.absolute(rel)) == nil, try FS.lstat(repo.absolute(spelled))?.isRegular == true,
               (try? PointerScanner.load(root: repo.root, pointerPath: spelled)) == nil {
                // Not a pointer, just data named *.cairn: every scan would take it for a broken pointer.
                throw CairnError("\(argument): a data file whose name ends in \(PointerFile.suffix) cannot be tracked"
                    + " (the suffix marks pointer files); rename it")
            }
            try TargetResolver.checkNoSymlinkParents(rel, root: repo.root)
            guard let st = try FS.lstat(repo.absolute(rel)) else {
                // The shell's bytes reach us decoded, invalid UTF-8 as U+FFFD: say why such a name cannot be found.
                if rel.unicodeScalars.contains("\u{FFFD}") {
                    throw CairnError("\(argument): no such file; if its name is not valid UTF-8, rename it (cairn tracks only UTF-8 names)")
                }
                throw CairnError("\(argument): no such file or directory")
            }
            if st.isSymlink {
                throw CairnError("\(argument): is a symbolic link; cairn tracks regular files and directories")
            }
            guard st.isRegular || st.isDirectory else {
                throw CairnError("\(argument): not a regular file or directory")
            }
            if rel.contains("\n") || rel.contains("\r") {
                throw CairnError("\(argument.debugDescription): the name contains a line break, which .gitignore cannot express; rename it")
            }
            if let reason = Paths.unsafeReason(rel) {
                throw CairnError("\(Paths.quoted(argument)): cannot be tracked: \(reason)")
            }
            let nameBytes = Paths.basename(rel).utf8.count, limit = 255   // NAME_MAX on Linux file systems
            if nameBytes + PointerFile.suffix.utf8.count > limit {
                throw CairnError("\(argument): the name is \(nameBytes) bytes; with \(PointerFile.suffix) its pointer's name would"
                    + " exceed the \(limit)-byte limit of file names; rename it (at most \(limit - PointerFile.suffix.utf8.count) bytes)")
            }
            if Paths.basename(rel).hasSuffix(PointerFile.suffix) {
                throw CairnError("\(argument): is itself a cairn pointer file")
            }
            if try repo.git.isTracked(rel) {
                throw CairnError("\(argument): tracked by Git; run 'git rm -r --cached \(Shell.quoted(argument))' first")
            }
            // Data inside a directory that is itself tracked would be stored twice and fight over checkout.
            if let parent = TargetResolver.trackedAncestor(of: rel, root: repo.root) {
                throw CairnError("\(argument): inside \(parent), which cairn already tracks; add \(parent) again instead")
            }
            // A stage's output is recorded by its lock file: a pointer beside it would be a second record.
            if let output = RecordedData.owner(of: rel, root: repo.root) {
                throw RecordedData.refusal(argument, path: rel, output: output, verb: "add")
            }
            if st.isDirectory {
                let inside = try PointerScanner.find(root: repo.root, under: rel)
                if let nested = inside.pointers.first {
                    throw CairnError("\(argument): contains data tracked on its own (\(nested)); run 'cairn rm' on it first")
                }
                let outputs = inside.records.flatMap { (try? $0.entries.get()) ?? [] }
                    + ((try? RecordedData.covering(rel, root: repo.root, inside: true)) ?? [])
                if let output = outputs.first {
                    throw CairnError("\(argument): contains \(output.dataPath), an output of stage \(output.stage ?? "?") in"
                        + " \(output.pointerPath), which its lock file tracks; add the other paths one by one")
                }
            }
            if !targets.contains(where: { Paths.sameBytes($0, rel) }) { targets.append(rel) }  // NFC/NFD twins are two
        }
        // One target inside another would be stored twice and fight over checkout.
        for outer in targets {
            if let inner = targets.first(where: { $0.hasPrefix(outer + "/") }) {
                throw CairnError("\(inner): inside \(outer), which is added in the same command; add \(outer) alone")
            }
        }
        return targets
    }

    /// Stores every file below a directory in parallel, then its trees.
    static func storeDirectory(_ target: String, repo: CairnRepository, identifier: FileIdentifier) throws
        -> (id: ObjectID, size: UInt64, fileCount: UInt64)
    {
        let abs = repo.absolute(target)
        let observed = FS.nowNs()
        let scan = try DirectoryScanner.scan(abs)
        PhaseTimer.mark("scan \(target)")
        // A name a tree cannot hold is refused before anything is stored, naming the file.
        for path in scan.files.map(\.path) + scan.directories {
            if let reason = Paths.unsafeReason(path) {
                throw CairnError("\(Paths.quoted(target + "/" + path)): cannot be tracked: \(reason)")
            }
        }
        for link in scan.symlinks { Diagnostics.warning("skipping symbolic link \(target)/\(link)") }
        for other in scan.special { Diagnostics.warning("skipping special file \(target)/\(other)") }
        for nested in scan.reserved { Diagnostics.warning("skipping \(target)/\(nested): Git's and cairn's own folders are never data") }
        if let bad = scan.unsupportedNames.first {
            throw CairnError("\(Paths.quoted(target + "/" + bad.path)): cannot be tracked: \(bad.problem); rename it")
        }
        let total = scan.files.reduce(Int64(0)) { $0 + Int64($1.stat.size) }
        let progress = Progress("adding \(target)", total: total, unit: .bytes)
        let stored = Locked([PathKey: TreeFile]())
        let files = scan.files
        let store = repo.store
        try Parallel.forEach(files.count) { i in
            let file = files[i]
            let result = try identifier.store(target + "/" + file.path, absolute: abs + "/" + file.path, stat: file.stat,
                                              observedNs: observed, into: store, progress: progress)
            stored.withLock {
                $0[PathKey(file.path)] = TreeFile(id: result.id, size: result.size, executable: file.stat.isExecutable)
            }
        }
        progress.finish()
        PhaseTimer.mark("store files")
        identifier.saveInBackground()
        defer { PhaseTimer.mark("build trees") }
        return try TreeBuilder.build(files: stored.snapshot, directories: scan.directories, store: repo.store)
    }
}
