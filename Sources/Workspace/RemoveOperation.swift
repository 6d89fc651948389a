import Basics
import Lineage

/// `cairn rm`: stops tracking data. The data stays on disk; its pointer goes and .gitignore is tidied.
public enum RemoveOperation {
    public struct Result: Sendable {
        public var dataPath: String
        public var pointerPath: String
        public var gitignore: (path: String, deleted: Bool)?
    }

    public static func run(repo: CairnRepository, arguments: [String], cwd: String) throws -> [Result] {
        guard !arguments.isEmpty else { throw CairnError("name the data to stop tracking") }
        // Validate everything first: a bad argument must not leave half the targets removed.
        var targets: [String] = []
        for argument in arguments {
            let rel = TargetResolver.dataPath(forArgument: try TargetResolver.relativePath(argument, cwd: cwd, root: repo.root))
            let pointer = rel + PointerFile.suffix
            try TargetResolver.checkNoSymlinkParents(pointer, root: repo.root)
            guard FS.exists(repo.absolute(pointer)) else {
                if let output = RecordedData.owner(of: rel, root: repo.root) {
                    throw RecordedData.refusal(argument, path: rel, output: output, verb: "rm")
                }
                throw CairnError("\(argument): not tracked by cairn (no \(pointer))")
            }
            targets.append(rel)
        }
        let statCache = try? repo.openStatCache()
        return try targets.map { rel in
            let pointer = rel + PointerFile.suffix
            try FS.removeFile(repo.absolute(pointer))
            let ignore = try GitignoreFile.remove(dataPath: rel, root: repo.root)
            try? statCache?.remove(pathsUnder: rel)
            return Result(dataPath: rel, pointerPath: pointer, gitignore: ignore)
        }
    }

    /// What the user has to tell Git after `results`: files that left the work tree are unstaged with
    /// `git rm --cached` only when Git's index has them (a pointer never added to Git needs nothing), and
    /// .gitignore files that changed are staged with `git add` only when Git knows them or they still exist.
    public static func gitChanges(_ results: [Result], repo: CairnRepository) throws -> (remove: [String], add: [String]) {
        var gone: [String] = [], changed: [String] = []
        for result in results {
            gone.append(result.pointerPath)
            if let ignore = result.gitignore {
                if ignore.deleted { if !gone.contains(ignore.path) { gone.append(ignore.path) } }
                else if !changed.contains(ignore.path) { changed.append(ignore.path) }
            }
        }
        let indexed = try repo.git.areTracked(gone)
        return (zip(gone, indexed).filter { $0.1 }.map { $0.0 }, changed)
    }
}
