import Basics
import GitBridge
import Pipeline

/// The data of `cairn exp show`: one row per work tree, baseline commit and experiment, with the params and
/// metrics each holds (flattened `file` → `key` → value). Rendering (column order, collapsing to the terminal's
/// width, formats) is the command's; ExperimentColumns decides which columns come first.
public struct ExperimentTable: Sendable {
    public enum Kind: String, Sendable { case workspace, baseline, experiment }

    public struct Row: Sendable {
        public var kind: Kind
        /// "workspace", the baseline's branch names or short sha, or the experiment's name.
        public var name: String
        /// The commit (nil for the work tree).
        public var sha: String?
        /// For experiments: their baseline.
        public var baseline: String?
        public var state: Experiment.State?
        /// Commit time (experiments: when run or queued), seconds since the epoch.
        public var created: Int64?
        public var params: [(file: String, key: String, value: ParamValue)] = []
        public var metrics: [(file: String, key: String, value: ParamValue)] = []
        /// From the experiment commit's trailers.
        public var environments: [Experiment.StageEnvironment] = []
    }

    public var rows: [Row] = []
    /// Files that could not be read, one message each (shown as warnings; the rest of the table still shows).
    public var problems: [String] = []

    /// `baselines`: the commits to show, each followed by its experiments (in the order given); the work tree
    /// comes first when `workspace`.
    public static func load(git: GitRepository, baselines: [String], workspace: Bool,
                            cache: CachedOutputReader?) throws -> ExperimentTable {
        var table = ExperimentTable()
        let experiments = Dictionary(grouping: try ExperimentStore(git: git).list(), by: \.baseline)
        let branches = try git.branches()

        if workspace {
            var side = RevisionTree.workTree(git: git)
            side.cachedOutputs = cache
            var row = Row(kind: .workspace, name: "workspace")
            try table.fill(&row, side: side, selection: try Selection.of(side, problems: &table.problems))
            table.rows.append(row)
        }
        for baseline in baselines {
            let commit = try git.resolve(baseline)
            var side = try RevisionTree.commit(commit.sha, git: git)
            side.cachedOutputs = cache
            let selection = try Selection.of(side, problems: &table.problems)
            let names = branches.filter { $0.sha == commit.sha }.map(\.name)
            var row = Row(kind: .baseline, name: names.isEmpty ? commit.shortSha : names.joined(separator: ","),
                          sha: commit.sha, created: commit.time)
            try table.fill(&row, side: side, selection: selection)
            table.rows.append(row)
            for experiment in experiments[commit.sha] ?? [] {
                var side = try RevisionTree.commit(experiment.sha, git: git)
                side.cachedOutputs = cache
                // The pipelines are parsed again only when the experiment changed a pipeline file.
                let changed = try git.changedFiles(from: commit.sha, to: experiment.sha)
                let ownSelection = changed.contains { Paths.basename($0) == PipelineParser.fileName }
                    ? try Selection.of(side, problems: &table.problems) : selection
                var row = Row(kind: .experiment, name: experiment.name, sha: experiment.sha, baseline: commit.sha,
                              state: experiment.state, created: experiment.created)
                row.environments = experiment.environments
                try table.fill(&row, side: side, selection: ownSelection, metrics: experiment.state == .done)
                table.rows.append(row)
            }
        }
        return table
    }

    /// What a side's pipelines track: params files and keys, metrics files.
    struct Selection: Sendable {
        var params: ParamsSelection
        var metrics: [String]

        static func of(_ side: RevisionTree, problems: inout [String]) throws -> Selection {
            let loaded = try side.loadPipelines()
            problems += loaded.errors.map(\.message)
            let params = ParamsSelection.of(loaded.pipelines,
                                            rootParamsExists: try side.read("params.yaml") != nil)
            return Selection(params: params, metrics: RevisionTree.metricsPaths(of: loaded.pipelines))
        }
    }

    private mutating func fill(_ row: inout Row, side: RevisionTree, selection: Selection, metrics: Bool = true) throws {
        for (file, result) in side.loadParams(selection.params).files {
            switch result {
            case .metrics(let map): row.params += MetricsFile.flatten(map).map { (file, $0.key, $0.value) }
            case .failed(let message): problems.append("\(message) (\(side.place))")
            case .absent: break
            }
        }
        guard metrics else { return }
        for path in selection.metrics {
            do {
                guard let bytes = try side.read(path) else { continue }
                row.metrics += MetricsFile.flatten(try MetricsFile.parse(bytes, path: path)).map { (path, $0.key, $0.value) }
            } catch let error as CairnError {
                problems.append(error.message.contains(side.place) ? error.message : "\(error.message) (\(side.place))")
            }
        }
    }
}
