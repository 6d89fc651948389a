import Basics

/// A pointer file found in the work tree, parsed and validated.
public struct TrackedData: Sendable {
    /// Repo-relative path of the pointer (`data/big.csv.cairn`).
    public var pointerPath: String
    /// Repo-relative path of the data (`data/big.csv`).
    public var dataPath: String
    public var pointer: PointerFile
}

/// Finds and loads pointer files. The walk skips `.git`, `.cairn` and the data directories of pointers it has
/// found (a 100k-file dataset must not be walked just to find the pointers next to it); it never follows
/// symbolic links, so a pointer can only be found at a real path inside the repository.
public enum PointerScanner {
    /// Repo-relative paths of all pointer files under `relativeDirectory` ("" for the whole work tree), sorted.
    public static func findPointers(root: String, under relativeDirectory: String = "") throws -> [String] {
        var found: [String] = []
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
                    found.append(childRel)
                    pointerData.insert(String(entry.name.dropLast(PointerFile.suffix.count)))
                }
            }
            for name in subdirs where !pointerData.contains(name) {
                pending.append(rel.isEmpty ? name : rel + "/" + name)
            }
        }
        return found.sorted()
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
