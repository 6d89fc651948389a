import Basics
import GitBridge
import ObjectStore
import Workspace

/// Compares a stage's reproduced outputs with what REV's cairn.lock recorded: ids first; for a differing small
/// text file a short line diff (the recorded version read from the cache, or from Git for an output that is not
/// cached); for a differing directory the files added, removed and changed below it.
struct ReproduceComparison {
    static let diffableSize: UInt64 = 1 << 20
    static let diffLines = 10

    let repo: CairnRepository
    /// Full sha of REV (uncached outputs, e.g. committed metrics, are read from it).
    let commit: String

    func outputs(recorded: LockedStage, reproduced: LockedStage?, lockDirectory: String) -> [ReproduceReport.Output] {
        var result: [ReproduceReport.Output] = []
        for old in recorded.outs {
            let new = reproduced?.outs.first { $0.path == old.path }
            let repoPath = LockPaths.repoPath(old.path, lockDirectory: lockDirectory)
            var output = ReproduceReport.Output(
                path: repoPath, identical: new?.id == old.id && new?.type == old.type, type: old.type.rawValue,
                oldID: old.id.hex, newID: new?.id.hex, oldSize: old.size, newSize: new?.size)
            if !output.identical, let new {
                if old.type == .directory && new.type == .directory {
                    directoryDifferences(old: old.id, new: new.id, into: &output)
                } else if old.type == .file && new.type == .file {
                    output.diff = textDiff(old: old, repoPath: repoPath)
                }
            }
            result.append(output)
        }
        // Outputs the stage has now but REV did not record (the pipeline at REV changed without a re-run).
        for new in reproduced?.outs ?? [] where !recorded.outs.contains(where: { $0.path == new.path }) {
            result.append(ReproduceReport.Output(
                path: LockPaths.repoPath(new.path, lockDirectory: lockDirectory), identical: false, type: new.type.rawValue,
                oldID: nil, newID: new.id.hex, oldSize: nil, newSize: new.size))
        }
        return result
    }

    private func directoryDifferences(old: ObjectID, new: ObjectID, into output: inout ReproduceReport.Output) {
        guard repo.store.hasObject(old), repo.store.hasObject(new),
              let before = try? TreeBuilder.flatten(old, store: repo.store).files,
              let after = try? TreeBuilder.flatten(new, store: repo.store).files else { return }
        output.added = after.keys.filter { before[$0] == nil }.sorted().map(\.path)
        output.removed = before.keys.filter { after[$0] == nil }.sorted().map(\.path)
        output.changed = after.keys.filter { key in before[key].map { $0 != after[key] } ?? false }.sorted().map(\.path)
    }

    /// A few `-old` / `+new` lines around the first difference of two small text files; empty when either side
    /// is large, binary or unavailable.
    private func textDiff(old: LockedPath, repoPath: String) -> [String] {
        let absolute = repo.absolute(repoPath)
        guard old.size <= Self.diffableSize, let stat = try? FS.lstat(absolute), stat.isRegular,
              UInt64(stat.size) <= Self.diffableSize,
              let newText = Self.text(try? FS.readAll(absolute)),
              let oldText = Self.text(recordedBytes(old, repoPath: repoPath)) else { return [] }
        return Self.lineDiff(old: oldText, new: newText, limit: Self.diffLines)
    }

    private func recordedBytes(_ old: LockedPath, repoPath: String) -> [UInt8]? {
        if repo.store.hasFile(old.id) {
            let tmpDirectory = Paths.join(repo.dotCairn, "tmp")
            try? FS.makeDirectories(tmpDirectory)
            let tmp = Paths.join(tmpDirectory, "reproduce-\(old.id.short)")
            defer { try? FS.removeFile(tmp) }
            guard (try? repo.store.materialize(old.id, to: tmp, executable: false, temporaryDirectory: tmpDirectory)) != nil
            else { return nil }
            return try? FS.readAll(tmp)
        }
        // Not cached (`cache: false`): the recorded version may be committed to Git.
        guard let bytes = try? repo.git.readFile(at: commit, path: repoPath), ObjectID.of(bytes) == old.id else { return nil }
        return bytes
    }

    static func text(_ bytes: [UInt8]?) -> String? {
        guard let bytes, !bytes.contains(0) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Common leading and trailing lines are left out; what remains is shown as removed then added lines, with
    /// an `@@ line N @@` header, cut to `limit` lines.
    static func lineDiff(old: String, new: String, limit: Int) -> [String] {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        let removed = a[prefix..<(a.count - suffix)].map { "-" + $0 }
        let added = b[prefix..<(b.count - suffix)].map { "+" + $0 }
        var lines = ["@@ line \(prefix + 1) @@"] + removed + added
        if lines.count > limit + 1 {
            let hidden = lines.count - limit
            lines = Array(lines.prefix(limit)) + ["… \(hidden) more line\(hidden == 1 ? "" : "s")"]
        }
        return lines
    }
}
