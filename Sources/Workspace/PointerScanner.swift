import Basics

/// A piece of tracked data: a pointer file found in the work tree (or in a commit), parsed and validated, or an
/// output a record file names (a stage's out in `cairn.lock`, see `TrackedDataProvider`), whose `pointer` is
/// synthesized from the record. Several recorded outputs share one `pointerPath` (their lock file), so code that
/// edits or deletes pointer files must check `stage` first.
public struct TrackedData: Sendable {
    /// Repo-relative path of the pointer (`data/big.csv.cairn`), or of the record file (`cairn.lock`).
    public var pointerPath: String
    /// Repo-relative path of the data (`data/big.csv`).
    public var dataPath: String
    public var pointer: PointerFile
    /// For recorded data: the stage that wrote it (`train`, `models/cairn.yaml:train`); nil for a pointer.
    public var stage: String?
    /// False for an output marked `push: false`: kept in the local cache, never sent to a remote.
    public var push: Bool

    public init(pointerPath: String, dataPath: String, pointer: PointerFile, stage: String? = nil, push: Bool = true) {
        self.pointerPath = pointerPath
        self.dataPath = dataPath
        self.pointer = pointer
        self.stage = stage
        self.push = push
    }

    /// True for data a record file (cairn.lock) names rather than a pointer file of its own.
    public var isRecorded: Bool { stage != nil }
}

/// Finds and loads pointer files. The walk skips `.git`, `.cairn` and the data directories of pointers it has
/// found (a 100k-file dataset must not be walked just to find the pointers next to it); it never follows
/// symbolic links, so a pointer can only be found at a real path inside the repository.
public enum PointerScanner {
    /// Repo-relative paths of all pointer files under `relativeDirectory` ("" for the whole work tree), sorted.
    public static func findPointers(root: String, under relativeDirectory: String = "") throws -> [String] {
        try find(root: root, under: relativeDirectory).pointers
    }

    /// What one walk finds: pointer files, and the record files (cairn.lock) with what they name, read on the
    /// way so that the outputs they record are not walked either (an output directory is as big as a dataset).
    public struct Found {
        public var pointers: [String] = []
        /// Record file → its entries, or the error that makes it unreadable; sorted by path.
        public var records: [(path: String, entries: Result<[TrackedData], CairnError>)] = []
    }

    /// Pointer files and record files under `relativeDirectory`, in one walk.
    public static func find(root: String, under relativeDirectory: String = "") throws -> Found {
        var found = Found()
        let recordName = TrackedDataProviders.current?.fileName
        // Outputs recorded above the starting directory are not walked either.
        var skipped = Set<PathKey>()
        if !relativeDirectory.isEmpty, recordName != nil {
            for entry in (try? RecordedData.covering(relativeDirectory, root: root, inside: true)) ?? [] {
                skipped.insert(PathKey(entry.dataPath))
            }
        }
        var pending = [relativeDirectory]
        while let rel = pending.popLast() {
            let abs = rel.isEmpty ? root : Paths.join(root, rel)
            let entries = try FS.listDirectory(abs)
            var pointerData = Set<String>()
            var subdirs: [String] = []
            for entry in entries {
                let childRel = rel.isEmpty ? entry.name : rel + "/" + entry.name
                var type = entry.type
                if type == 0 /* DT_UNKNOWN */ {
                    guard let st = try FS.lstat(Paths.join(abs, entry.name)) else { continue }
                    type = st.isDirectory ? 4 : st.isRegular ? 8 : 10
                }
                if type == 4 /* DT_DIR */ {
                    if rel.isEmpty && (entry.name == ".git" || entry.name == ".cairn") { continue }
                    if entry.name == ".git" { continue }  // nested repositories are not ours
                    subdirs.append(entry.name)
                } else if entry.name.hasSuffix(PointerFile.suffix),  // links and FIFOs too: `load` reports them
                          entry.name.count > PointerFile.suffix.count {
                    found.pointers.append(childRel)
                    pointerData.insert(String(entry.name.dropLast(PointerFile.suffix.count)))
                } else if entry.name == recordName {
                    // Links and FIFOs too: the provider's hardened loader reports them.
                    let result: Result<[TrackedData], CairnError>
                    do { result = .success(try RecordedData.load(root: root, path: childRel)) }
                    catch let error as CairnError { result = .failure(error) }
                    catch { result = .failure(CairnError("\(childRel): \(error)")) }
                    found.records.append((childRel, result))
                    for output in (try? result.get()) ?? [] { skipped.insert(PathKey(output.dataPath)) }
                }
            }
            for name in subdirs where !pointerData.contains(name) {
                let child = rel.isEmpty ? name : rel + "/" + name
                if !skipped.contains(PathKey(child)) { pending.append(child) }
            }
        }
        found.pointers.sort()
        found.records.sort { Paths.bytewiseLess($0.path, $1.path) }
        return found
    }

    /// Reads and validates one pointer file given by its repo-relative path. `shown` turns repo-relative paths
    /// into the spelling the user types (relative to their working directory) for the fixes errors suggest.
    public static func load(root: String, pointerPath: String,
                            shown: (String) -> String = { $0 }) throws -> TrackedData {
        let abs = Paths.join(root, pointerPath)
        // Never follows a symlink nor opens a FIFO or device: a pointer is a regular file in the work tree.
        guard let bytes = try StructuredFileLoader.readRegularFile(abs, display: shown(pointerPath), limits: .pointer) else {
            throw CairnError("\(Paths.quoted(shown(pointerPath))): cannot read the pointer file (no such file)")
        }
        if let problem = PointerRepairHint.conflict(bytes, pointerPath: pointerPath, shown: shown) {
            throw CairnError(problem)
        }
        do {
            return try decode(bytes, pointerPath: pointerPath, source: shown(pointerPath))
        } catch let error as CairnError {
            throw PointerRepairHint.misplaced(bytes, pointerPath: pointerPath, root: root, shown: shown)
                .map { CairnError($0) } ?? StrayDataHint.message(bytes, pointerPath: pointerPath, shown: shown, error: error)
        }
    }

    /// Validates a pointer's bytes from anywhere (the work tree, or a Git blob at some commit). `source` names
    /// where they came from in error messages, e.g. `data/x.csv.cairn at 1a2b3c4`.
    public static func decode(_ bytes: [UInt8], pointerPath: String, source rawSource: String) throws -> TrackedData {
        let source = Paths.quoted(rawSource)  // a name is printed, never its control characters
        guard bytes.count <= 1 << 20 else { throw CairnError("\(source): too large to be a cairn pointer file") }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CairnError("\(source): not UTF-8 text")
        }
        let dataPath = String(pointerPath.dropLast(PointerFile.suffix.count))
        // Every component counts, not only the name: `.GIT/x.cairn` is `.git/x` on a case-insensitive disk.
        if let reason = Paths.unsafeReason(dataPath) { throw CairnError("\(source): unsafe location: \(reason)") }
        let pointer = try PointerFile.decode(text, file: source, expectedName: Paths.basename(dataPath))
        return TrackedData(pointerPath: pointerPath, dataPath: dataPath, pointer: pointer)
    }
}
