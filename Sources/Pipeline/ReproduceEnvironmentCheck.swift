import Basics
import Lineage
import Workspace

/// Before `cairn reproduce` runs anything: this machine's environment against what REV's runs recorded (RunEnvironment,
/// issue 11 item 5). Each difference is one line; the report prints them under "Likely causes" when a stage diverged
/// or could not run (and as "Environment differences" otherwise).
///
/// Where the record comes from, per stage: the experiment commit's `cairn-exp-environment` trailers when REV is an
/// experiment (they travel with Git), else the newest run in this clone's lineage.db that produced the outputs REV's
/// cairn.lock records. A stage with no record is not compared (a teammate's runs are in their lineage.db only).
public enum ReproduceEnvironmentCheck {
    public struct StageToCheck: Sendable {
        /// The stage as repro names it (`StageID.display`).
        public var stage: String
        public var commands: [String]
        /// Absolute directory the commands run in (the stage's wdir in the worktree).
        public var directory: String
        /// REV's recorded outputs of the stage (repo paths and ids).
        public var outputs: [VersionKey]
    }

    /// Called with no repository open: the main work tree is opened here (shared) to read lineage.db.
    /// - `mainRoot`: the user's work tree; `worktree`: the temporary worktree at REV; `message`: REV's commit message.
    static func differences(mainRoot: String, worktree: String, message: String?,
                            stages: [StageToCheck]) -> [String] {
        let trailers = RunEnvironment.experimentTrailers(message).compactMapValues(RunEnvironment.parse)
        var store: LineageStore?
        if stages.contains(where: { trailers[$0.stage] == nil }) {
            store = (try? CairnRepository.open(cwd: mainRoot, lockMode: .shared)).flatMap { try? LineageIndexer.openStore(repo: $0) }
        }
        // As a stage sees it, but for CAIRN_ROOT/CAIRN_STAGE, which the capture leaves out (they name the worktree).
        let environment = StageProcess.currentEnvironment()
        var order: [String] = [], stagesOf: [String: [String]] = [:]
        for stage in stages {
            guard let recorded = trailers[stage.stage] ?? store.flatMap({ newestRecord(of: stage, store: $0) }) else { continue }
            let now = RunEnvironmentCapture.capture(commands: stage.commands, directory: stage.directory,
                                                    root: worktree, environment: environment)
            for line in now.differences(from: recorded) {
                if stagesOf[line] == nil { order.append(line) }
                stagesOf[line, default: []].append(stage.stage)
            }
        }
        return order.map { line in
            let names = stagesOf[line] ?? []
            return names.count == stages.count && stages.count > 1 ? line
                : line + " (stage\(names.count == 1 ? "" : "s") \(names.joined(separator: ", ")))"
        }
    }

    /// The newest succeeded run that produced every one of the stage's recorded outputs and recorded its environment.
    static func newestRecord(of stage: StageToCheck, store: LineageStore) -> RunEnvironment? {
        guard let first = stage.outputs.first, let runs = try? store.runs(producing: first) else { return nil }
        let wanted = Set(stage.outputs)
        for run in runs where run.status == .succeeded && run.stage == stage.stage && !run.restoredFromRunCache
            && wanted.isSubset(of: Set(run.outputs)) {
            if let json = run.environmentJSON, let environment = RunEnvironment.parse(json) { return environment }
        }
        return nil
    }
}
