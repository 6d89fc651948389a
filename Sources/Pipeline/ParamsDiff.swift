import Basics

/// The params of one side, as `params diff` compares them: the keys the stages track (their `params:` and the
/// params-file values their `${…}` used), the whole of every top-level `params:` file, and the whole of
/// `params.yaml` at the repository root (DVC shows it whole too). Values are flattened under dotted keys.
public struct RevisionParams: Sendable {
    public var label: String
    public var files: [(path: String, result: MetricsFileResult)]
    public var pipelineErrors: [CairnError]
}

/// Which keys of which params files are shown: nil = the whole file.
public struct ParamsSelection: Sendable, Equatable {
    public private(set) var order: [String] = []
    public private(set) var keys: [String: [String]?] = [:]

    public init() {}

    public mutating func add(_ file: String, keys new: [String]?) {
        guard let existing = keys[file] else {
            order.append(file); keys[file] = new
            return
        }
        guard let current = existing else { return }          // already whole
        guard let new else { keys[file] = .some(nil); return }  // now whole
        keys[file] = current + new.filter { !current.contains($0) }
    }

    public mutating func merge(_ other: ParamsSelection) {
        for file in other.order { add(file, keys: other.keys[file]!) }
    }

    /// What the pipelines of one side track.
    public static func of(_ pipelines: [PipelineFile], rootParamsExists: Bool) -> ParamsSelection {
        var selection = ParamsSelection()
        if rootParamsExists { selection.add(StageParser.defaultParamsFile, keys: nil) }
        for pipeline in pipelines {
            for stage in pipeline.stages {
                for dep in stage.params { selection.add(dep.file.repoPath, keys: dep.keys) }
                for (file, used) in stage.interpolatedParams.sorted(by: { $0.key < $1.key }) { selection.add(file, keys: used.keys) }
            }
            for file in pipeline.params { selection.add(file.repoPath, keys: nil) }
        }
        return selection
    }
}

extension RevisionTree {
    /// The selected params of this side: files absent here are `.absent`, unreadable ones `.failed`.
    public func loadParams(_ selection: ParamsSelection) -> RevisionParams {
        var result = RevisionParams(label: label, files: [], pipelineErrors: [])
        for path in selection.order {
            do {
                guard let text = try readText(path) else { result.files.append((path, .absent)); continue }
                let file = try ParamsFile.parse(text, path: path, format: try ParamsFile.format(forPath: path))
                result.files.append((path, .metrics(ParamsDiff.select(file.content, keys: selection.keys[path]!))))
            } catch let error as CairnError {
                result.files.append((path, .failed(error.message)))
            } catch {
                result.files.append((path, .failed("\(path): \(error)")))
            }
        }
        return result
    }
}

public enum ParamsDiff {
    /// The parts of a params file that `keys` name (a key naming a mapping brings its whole subtree), nested
    /// again under the dotted key so that flattening gives `train.lr`. A key absent from the file is left out:
    /// its row shows "-" on this side.
    static func select(_ content: ParamValue, keys: [String]?) -> ParamMap {
        guard case .map(let whole) = content else { return ParamMap() }
        guard let keys else { return whole }
        var out = ParamMap()
        for key in keys {
            guard let value = content.value(atPath: key) else { continue }
            out[key] = value  // a dotted key stays one key; flattening then continues below it
        }
        return out
    }

    /// Both sides' pipelines decide what is compared: a key tracked only on one side still shows, with "-" on
    /// the other (a param added or removed is a change).
    /// `targets` (repo-relative files) are compared whole instead, as `dvc params diff --targets` does.
    public static func load(old: RevisionTree, new: RevisionTree, targets: [String] = []) throws -> (old: RevisionParams, new: RevisionParams) {
        if !targets.isEmpty {
            var selection = ParamsSelection()
            for target in targets { selection.add(target, keys: nil) }
            return (old.loadParams(selection), new.loadParams(selection))
        }
        let a = try old.loadPipelines()
        let b = try new.loadPipelines()
        var selection = ParamsSelection.of(a.pipelines, rootParamsExists: try old.read(StageParser.defaultParamsFile) != nil)
        selection.merge(.of(b.pipelines, rootParamsExists: try new.read(StageParser.defaultParamsFile) != nil))
        var oldParams = old.loadParams(selection)
        var newParams = new.loadParams(selection)
        oldParams.pipelineErrors = a.errors
        newParams.pipelineErrors = b.errors
        return (oldParams, newParams)
    }

    public static func rows(old: RevisionParams, new: RevisionParams, all: Bool) -> [DiffRow] {
        MetricsDiff.rows(old: old.files, new: new.files, all: all, withChange: false)
    }
}
