import Basics

/// The three-way merge of cairn.lock behind the Git merge driver (`cairn merge-lock`), stage by stage: a stage's
/// entry changed on one side only takes that side (deleted included), changed the same way on both takes it, and
/// changed differently on both is a conflict for that stage alone. Textual merges of lock files conflict whenever
/// two branches re-ran neighbouring stages; DVC users end up deleting the lock and re-running everything (#1015).
public enum LockMerge {
    public struct Result: Sendable {
        /// The merged file: PipelineLockCodec's text when `conflicts` is empty; otherwise the same text with each
        /// conflicting stage's two entries between Git-style conflict markers.
        public var text: String
        /// Names of the stages changed differently on both sides, sorted by bytes.
        public var conflicts: [String]
    }

    /// `file` is the lock's repo-relative path (for errors, and the directory paths in it are relative to). An empty
    /// text is an empty lock: Git passes an empty ancestor when the file did not exist there.
    public static func merge(base: String, ours: String, theirs: String, file: String) throws -> Result {
        func decode(_ text: String, _ side: String) throws -> PipelineLock {
            if text.allSatisfy({ $0.isWhitespace }) { return PipelineLock() }
            do {
                return try PipelineLockCodec.decode(text, file: file)
            } catch let error as CairnError {
                throw CairnError("\(error.message) (in the \(side) version)", exitCode: error.exitCode, kind: error.kind)
            }
        }
        let baseLock = try decode(base, "common ancestor's"), oursLock = try decode(ours, "current branch's")
        let theirsLock = try decode(theirs, "merged branch's")
        var merged = PipelineLock()
        var conflicts: [(name: String, ours: LockedStage?, theirs: LockedStage?)] = []
        let names = Set(baseLock.stages.keys).union(oursLock.stages.keys).union(theirsLock.stages.keys)
        for name in names {
            let b = baseLock.stages[name], o = oursLock.stages[name], t = theirsLock.stages[name]
            let result: LockedStage??
            if o == t { result = .some(o) } else if o == b { result = .some(t) } else if t == b { result = .some(o) } else { result = nil }
            switch result {
            case .some(let entry): merged.stages[name] = entry
            case .none: conflicts.append((name, o, t))
            }
        }
        guard !conflicts.isEmpty else { return Result(text: PipelineLockCodec.encode(merged), conflicts: []) }

        // Every stage's block in name order (the codec's order), conflicting ones as ours/theirs between markers;
        // the blocks come from the codec itself, so resolving a conflict by deleting one side leaves a valid lock.
        var blocks: [(name: String, lines: [String])] = merged.stages.map { ($0.key, block($0.key, $0.value)) }
        for conflict in conflicts {
            let lines = ["<<<<<<< ours"] + (conflict.ours.map { block(conflict.name, $0) } ?? [])
                + ["======="] + (conflict.theirs.map { block(conflict.name, $0) } ?? []) + [">>>>>>> theirs"]
            blocks.append((conflict.name, lines))
        }
        blocks.sort { Paths.bytewiseLess($0.name, $1.name) }
        let head = Array(PipelineLockCodec.encode(PipelineLock()).split(separator: "\n").map(String.init).dropLast())
        let text = (head + ["stages:"] + blocks.flatMap(\.lines)).joined(separator: "\n") + "\n"
        return Result(text: text, conflicts: conflicts.map(\.name).sorted(by: Paths.bytewiseLess))
    }

    /// The lines of one stage's entry as the codec writes them (without the file's header).
    static func block(_ name: String, _ stage: LockedStage) -> [String] {
        let lines = PipelineLockCodec.encode(PipelineLock(stages: [name: stage])).split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(of: "stages:") else { return [] }
        return Array(lines[(start + 1)...])
    }
}
