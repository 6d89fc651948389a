import Basics
import Pipeline
import Workspace

/// The pipeline section of `cairn status` (its data section is Status.swift): stages that `cairn repro` would run
/// and why. A broken cairn.yaml or cairn.lock does not hide the data's status: it is reported after it.
struct StatusPipelines: Encodable {
    struct Change: Encodable {
        var kind: String
        var description: String
        var path: String?
        var key: String?
        var old: String?
        var new: String?
    }

    struct Stage: Encodable {
        var stage: String
        var lock: String
        var frozen: Bool
        var changes: [Change]
    }

    var stages: [Stage] = []
    var error: CairnError?

    private enum CodingKeys: String, CodingKey { case stages }

    static func evaluate(repo: CairnRepository) -> StatusPipelines {
        var result = StatusPipelines()
        do {
            result.stages = try PipelineStatusOperation.run(repo: repo).map { entry in
                Stage(stage: entry.stage, lock: entry.lockPath, frozen: entry.frozen, changes: entry.changes.map(change))
            }
        } catch let error as CairnError {
            result.error = error
        } catch {
            result.error = CairnError("\(error)")
        }
        return result
    }

    static func change(_ change: StageChange) -> Change {
        Change(kind: change.kind, description: change.description, path: change.path, key: change.key,
               old: change.values.old, new: change.values.new)
    }

    var isClean: Bool { stages.isEmpty }

    /// Text lines for the section (none when nothing would run).
    var lines: [String] {
        guard !stages.isEmpty else { return [] }
        var lines = ["Pipeline stages that would run (`cairn repro` runs them):"]
        for stage in stages {
            lines.append("    \(stage.stage)" + (stage.frozen ? " (frozen: repro will not run it)" : ""))
            lines += stage.changes.map { "        \($0.description)" }
        }
        return lines
    }

    /// After everything else was printed: a pipeline error is one error line and exit 1.
    func reportError() throws {
        if let error { throw error }
    }
}
