import Basics
import ObjectStore

/// `cairn fsck`: verifies every object reachable from the pointers and names the data each problem affects.
public enum IntegrityCheck {
    public struct Problem: Codable, Sendable, Equatable {
        public var object: String        // sha256:<hex>
        public var problem: String       // missing | corrupt | mismatch (pointer disagrees with the object)
        public var usedBy: [String]      // repo-relative data paths
        public var detail: String
        enum CodingKeys: String, CodingKey { case object, problem, usedBy = "used_by", detail }
    }

    public struct Report: Codable, Sendable {
        /// Distinct file contents verified: two tracked files with the same bytes are one object, checked once.
        public var filesChecked: Int
        public var problems: [Problem]
        enum CodingKeys: String, CodingKey { case filesChecked = "contents_checked", problems }
    }

    /// With `unreadable`, a pointer that cannot be loaded is handed to it and the others are still verified.
    public static func run(repo: CairnRepository, arguments: [String], cwd: String,
                           unreadable: ((CairnError) -> Void)? = nil) throws -> Report {
        let targets = try TargetResolver.trackedTargets(arguments, cwd: cwd, root: repo.root, unreadable: unreadable)
        var users: [ObjectID: [String]] = [:]      // file id → data paths using it
        // Keyed by object id: one line per broken object, naming every path that needs it.
        var problems: [ObjectID: (kind: String, detail: String, usedBy: Set<PathKey>)] = [:]
        for target in targets {
            switch target.pointer.type {
            case .file:
                if repo.store.hasObject(target.pointer.id) && !repo.store.hasFile(target.pointer.id) {
                    // The id names a tree: writing it out would produce a listing, not the file's bytes.
                    problems[target.pointer.id, default: ("corrupt", "the pointer's id names a directory tree, not file content", [])]
                        .usedBy.insert(PathKey(target.dataPath))
                    continue
                }
                if let size = try? repo.store.fileSize(target.pointer.id), size != target.pointer.size {
                    problems[target.pointer.id, default: ("mismatch",
                        "the pointer says \(target.pointer.size) bytes, the stored content has \(size)", [])]
                        .usedBy.insert(PathKey(target.pointerPath))
                }
                users[target.pointer.id, default: []].append(target.dataPath)
            case .directory:
                do {
                    let root = try repo.store.readTree(target.pointer.id)
                    if root.totalSize != target.pointer.size || root.fileCount != target.pointer.files {
                        problems[target.pointer.id, default: ("mismatch",
                            "the pointer says \(target.pointer.size) bytes in \(target.pointer.files) files, the tree has"
                            + " \(root.totalSize) bytes in \(root.fileCount) files", [])].usedBy.insert(PathKey(target.pointerPath))
                    }
                    let tree = try TreeBuilder.flatten(target.pointer.id, store: repo.store)
                    for (path, file) in tree.files { users[file.id, default: []].append(target.dataPath + "/" + path.path) }
                } catch {
                    // A tree that cannot be read hides everything below it: report the directory.
                    let id = target.pointer.id
                    let kind = repo.store.hasObject(id) || repo.store.isDamaged(id) ? "corrupt" : "missing"
                    problems[target.pointer.id, default: (kind, "\(error)", [])].usedBy.insert(PathKey(target.dataPath))
                }
            }
        }
        let ids = Array(users.keys)
        let found = Locked([(file: ObjectID, problems: [ObjectProblem])]())
        let store = repo.store
        let progress = Progress("verifying", total: Int64(ids.count), unit: .files)
        try Parallel.forEach(ids.count) { i in
            let result = store.verifyFile(ids[i])
            if !result.isEmpty { found.withLock { $0.append((ids[i], result)) } }
            progress.advance(by: 1)
        }
        progress.finish()
        for (file, fileProblems) in found.snapshot {
            for problem in fileProblems {
                let kind = problem.kind == .missing ? "missing" : "corrupt"
                problems[problem.id, default: (kind, problem.detail, [])].usedBy.formUnion((users[file] ?? []).map(PathKey.init))
            }
        }
        let list = problems.sorted { $0.key < $1.key }.map { id, value in
            Problem(object: id.prefixed, problem: value.kind, usedBy: value.usedBy.sorted().map(\.path), detail: value.detail)
        }
        return Report(filesChecked: ids.count, problems: list)
    }
}
