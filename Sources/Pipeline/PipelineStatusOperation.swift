import Basics
import Workspace

/// `cairn status`'s pipeline section: every stage whose command, deps, params or outputs differ from its cairn.lock
/// entry, and how. Each stage is compared with its own lock entry as the work tree is now (a stage downstream of
/// a changed one is listed only once its own inputs differ, as `dvc status` does). Answered from the stat cache:
/// an unchanged pipeline costs one lstat per dep and out (#6543, #9949).
public enum PipelineStatusOperation {
    public struct Entry: Sendable {
        public var stage: String
        public var lockPath: String
        public var frozen: Bool
        public var changes: [StageChange]
    }

    /// Stages that would run, in topological order; empty when there is no cairn.yaml or nothing changed.
    public static func run(repo: CairnRepository) throws -> [Entry] {
        guard !(try PipelineDiscovery.find(root: repo.root)).isEmpty else { return [] }
        let graph = try ReproOperation.loadGraph(repo: repo)
        let hasher = try DataHasher(repo: repo)
        defer { hasher.finish() }
        let evaluator = StageEvaluator(root: repo.root, hasher: hasher) { OutputStorer.isCached(type: $0.type, id: $0.id, repo: repo) }
        let locks = LockBook(root: repo.root)
        var entries: [Entry] = []
        for id in graph.order {
            let stage = graph.stage(id)
            let evaluation = try evaluator.evaluate(stage, locked: try locks.entry(for: id),
                                                    lockDirectory: graph.pipeline(id).directory)
            if !evaluation.changes.isEmpty {
                entries.append(Entry(stage: id.display, lockPath: id.lockPath, frozen: stage.frozen, changes: evaluation.changes))
            }
        }
        return entries
    }
}
