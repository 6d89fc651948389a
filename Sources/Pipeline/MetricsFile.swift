import Basics

/// A metrics file read as DVC reads it: JSON, YAML or TOML by extension (YAML for anything else, as `.yml`,
/// `.yaml` and extension-less files are), keeping numbers, strings and booleans at any depth of nested mappings
/// and dropping what is not a metric (lists, nulls), as DVC's `_extract_metrics` does. CSV and TSV, which DVC 3
/// refuses for metrics, are read as a training log: the header names the metrics and the last row holds their
/// final values (one row: that row).
public enum MetricsFile {
    public enum Format: String, Sendable { case json, yaml, toml, csv, tsv }

    public static func format(forPath path: String) -> Format {
        let name = Paths.basename(path).lowercased()
        if name.hasSuffix(".json") { return .json }
        if name.hasSuffix(".toml") { return .toml }
        if name.hasSuffix(".csv") { return .csv }
        if name.hasSuffix(".tsv") { return .tsv }
        return .yaml
    }

    /// The metrics in `bytes` (the content of the repo-relative `path`), nested as written.
    public static func parse(_ bytes: [UInt8], path: String) throws -> ParamMap {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw CairnError("\(path): is not UTF-8 text") }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> ParamMap {
        let format = format(forPath: path)
        let value: ParamValue
        switch format {
        case .json: value = try JSONReader.parse(text, file: path)
        case .toml: value = try TOMLReader.parse(text, file: path)
        case .yaml: value = try PipelineFileReader.composeYAML(text, displayName: path).value
        case .csv, .tsv:
            let table = try DelimitedTable.parse(text, separator: format == .csv ? "," : "\t", file: path)
            var map = ParamMap()
            if let last = table.rows.last {
                for (i, name) in table.header.enumerated() where i < last.count && !last[i].isEmpty {
                    map[name] = ParamValue.fromCell(last[i])
                }
            }
            return map
        }
        switch value {
        case .map(let map): return extract(map)
        case .null: return ParamMap()
        default: throw CairnError("\(path): a metrics file must hold a mapping of names to values, got \(value.typeDescription)")
        }
    }

    /// Numbers, strings and booleans, in nested mappings; empty mappings and everything else left out.
    static func extract(_ map: ParamMap) -> ParamMap {
        var out = ParamMap()
        for (key, value) in map.entries {
            switch value {
            case .int, .float, .string, .bool: out[key] = value
            case .map(let inner):
                let kept = extract(inner)
                if !kept.isEmpty { out[key] = .map(kept) }
            case .list, .null: continue
            }
        }
        return out
    }

    /// Leaves under dotted keys (`train.loss`), in file order.
    public static func flatten(_ map: ParamMap) -> [(key: String, value: ParamValue)] {
        ParamValue.map(map).flattened()
    }
}

/// What one side holds for one metrics file.
public enum MetricsFileResult: Sendable, Equatable {
    case metrics(ParamMap)
    /// The file is listed but not there on this side (not committed, not produced yet).
    case absent
    /// Unreadable or unparsable: the message names the file; other files are still shown.
    case failed(String)

    public var metrics: ParamMap? { if case .metrics(let m) = self { return m } else { return nil } }
}

/// The metrics files of one side and what each holds, in the order the pipelines list them.
public struct RevisionMetrics: Sendable {
    public var label: String
    public var files: [(path: String, result: MetricsFileResult)]
    /// Pipelines that did not parse on this side.
    public var pipelineErrors: [CairnError]
}

extension RevisionTree {
    /// Repo-relative metrics files the pipelines name: top-level `metrics:` and the stages' `metrics` outputs,
    /// each once, in file order. A directory entry stands for the files under it, as in DVC.
    public static func metricsPaths(of pipelines: [PipelineFile]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for pipeline in pipelines {
            let listed = pipeline.metrics.map(\.repoPath)
                + pipeline.stages.flatMap { $0.outs.filter { $0.kind == .metric }.map(\.path.repoPath) }
            for path in listed where seen.insert(path).inserted { out.append(path) }
        }
        return out
    }

    /// The metrics of this side; `targets` (repo-relative files or directories) replace the pipelines' list when
    /// given, as `dvc metrics show TARGET` reads any file.
    public func loadMetrics(targets: [String] = []) throws -> RevisionMetrics {
        let loaded = try loadPipelines()
        var paths = targets.isEmpty ? Self.metricsPaths(of: loaded.pipelines) : targets
        var expanded: [String] = []
        for path in paths {
            let under = try files(under: path)
            expanded += under.isEmpty ? [path] : under
        }
        paths = expanded
        var result = RevisionMetrics(label: label, files: [], pipelineErrors: loaded.errors)
        for path in paths {
            do {
                if let bytes = try read(path) {
                    result.files.append((path, .metrics(try MetricsFile.parse(bytes, path: path))))
                } else {
                    result.files.append((path, .absent))
                }
            } catch let error as CairnError {
                result.files.append((path, .failed(error.message)))
            }
        }
        return result
    }
}
