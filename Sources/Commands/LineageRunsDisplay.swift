import Basics
import Experiments
import GitBridge
import Pipeline
import Workspace

/// Text and DOT for `cairn lineage` answers that involve pipeline runs (RunLineageQuery.Report).
enum LineageRunsDisplay {
    typealias Report = RunLineageQuery.Report
    typealias Run = RunLineageQuery.Run
    typealias Ref = RunLineageQuery.VersionRef

    /// A tree from the asked-for version: each version, then the runs that made it (upstream) or read it
    /// (downstream), then their inputs (outputs), indented; a version already shown is not expanded again.
    static func text(_ report: Report) -> [String] {
        let downstream = report.direction == "downstream"
        var byVersion: [Ref: [Run]] = [:]
        for run in report.runs {
            for ref in downstream ? run.inputs : run.outputs { byVersion[ref, default: []].append(run) }
        }
        let commits = Dictionary(report.versions.map { (Ref(path: $0.path, id: $0.id), $0.commit) }) { a, _ in a }
        var lines: [String] = []
        var expanded = Set<Ref>()
        func version(_ ref: Ref, indent: String) {
            let commit = commits[ref].flatMap { $0 }.map { " (added in \(HistoryDisplay.shortSha($0)))" } ?? ""
            let runs = byVersion[ref] ?? []
            let again = !runs.isEmpty && !expanded.insert(ref).inserted
            lines.append("\(indent)\(ref.path) \(HistoryDisplay.shortID(ref.id))\(commit)\(again ? " (see above)" : "")")
            if again { return }
            for run in runs {
                lines.append("\(indent)  \(downstream ? "read by" : "made by") \(describe(run))")
                lines.append("\(indent)      $ \(run.command)")
                let params = run.params.summary
                if !params.isEmpty { lines.append("\(indent)      params \(params)") }
                if let environment = run.environment.flatMap({ RunEnvironment.parse($0.text) }) {
                    lines.append("\(indent)      environment \(environmentSummary(environment))")
                }
                for next in downstream ? run.outputs : run.inputs { version(next, indent: indent + "    ") }
            }
        }
        version(report.version, indent: "")
        if report.runs.isEmpty {
            lines.append(downstream ? "no pipeline run read this version" : "no pipeline run made this version")
        } else if downstream {
            let derived = report.versions.filter { $0.depth > 0 }
            lines.append("derived from it (\(Display.count(derived.count, "version")), any branch):")
            for version in derived { lines.append("  \(version.path) \(HistoryDisplay.shortID(version.id))") }
        }
        return lines
    }

    /// `Linux 6.1.0 x86_64, cairn 0.11.0; python3 3.11.2 (/usr/bin/python3); 41 Python packages; $SEED=1, $TOKEN set`.
    static func environmentSummary(_ environment: RunEnvironment) -> String {
        var parts: [String] = []
        let system = [environment.os, environment.kernel, environment.architecture].compactMap { $0 }.joined(separator: " ")
        parts.append([system.isEmpty ? nil : system, environment.cairnVersion.map { "cairn \($0)" }]
            .compactMap { $0 }.joined(separator: ", "))
        for program in environment.programs {
            var text = program.name
            if let version = program.shortVersion { text += " " + version }
            if let path = program.path, path != program.name { text += " (\(path))" } else if program.path == nil { text += " (not found)" }
            parts.append(text)
        }
        if let packages = environment.pythonPackages { parts.append(Display.count(packages.count, "Python package")) }
        if !environment.variables.isEmpty {
            parts.append(environment.variables.map { variable in
                if let value = variable.value { return "$\(variable.name)=\(value)" }
                return "$\(variable.name) \(variable.isSet ? "set" : "unset")"
            }.joined(separator: ", "))
        }
        return parts.filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// `run 3: train (ml/cairn.lock) at 1a2b3c4, restored from the run-cache`.
    static func describe(_ run: Run) -> String {
        var text = "run \(run.id): \(run.stage)"
        if let commit = run.commit {
            text += " in " + ExperimentLabels.commit(commit)
        } else {
            text += " not committed yet" + (run.head.map { " (on \(HistoryDisplay.shortSha($0)))" } ?? "")
        }
        text += ", " + HistoryDisplay.date(run.finishedAt ?? run.startedAt, offsetMinutes: nil)
        if run.restoredFromRunCache { text += ", restored from the run-cache" }
        return text
    }

    /// `--json` with runs: the tracked view's `version` and `edges` (when PATH is tracked data), then `direction`,
    /// `runs` and `versions` (with their distance in runs).
    struct JSON: Encodable {
        let tracked: LineageQuery.Report?
        let runs: Report

        enum Keys: String, CodingKey { case version, direction, edges, runs, versions, experiments }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            if let tracked {
                try container.encode(tracked.version, forKey: .version)
                try container.encode(tracked.edges, forKey: .edges)
            } else {
                try container.encode(runs.version, forKey: .version)
            }
            try container.encode(runs.direction, forKey: .direction)
            try container.encode(runs.runs, forKey: .runs)
            try container.encode(runs.versions, forKey: .versions)
            // Runs made by experiments: their commit → the experiment's name.
            let experiments = ExperimentLabels.names(for: runs.runs.compactMap(\.commit))
            if !experiments.isEmpty { try container.encode(experiments, forKey: .experiments) }
        }
    }

    /// Graphviz: versions are boxes, runs ellipses; arrows go from what was read to the run to what it wrote;
    /// dashed arrows from a version to the one that replaced it (the tracked view's edges).
    static func dot(_ report: Report, tracked: LineageQuery.Report?) -> String {
        var lines = ["digraph lineage {", "  rankdir=LR;", "  node [fontname=\"Helvetica\"];"]
        var declared = Set<String>()
        func node(_ ref: Ref) -> String {
            let name = quote("v:\(ref.path)@\(ref.id)")
            if declared.insert(name).inserted {
                let bold = ref == report.version ? ", style=bold" : ""
                lines.append("  \(name) [shape=box\(bold), label=\(quote("\(ref.path)\n\(HistoryDisplay.shortID(ref.id))"))];")
            }
            return name
        }
        _ = node(report.version)
        for run in report.runs {
            let name = quote("r:\(run.id)")
            let commit = run.commit.map { HistoryDisplay.shortSha($0) } ?? "not committed"
            lines.append("  \(name) [shape=ellipse, label=\(quote("\(run.stage)\n\(commit)"))];")
            for input in run.inputs { lines.append("  \(node(input)) -> \(name);") }
            for output in run.outputs { lines.append("  \(name) -> \(node(output));") }
        }
        for edge in tracked?.edges ?? [] where edge.relation == "replaces" {
            let from = node(Ref(path: edge.from.path, id: edge.from.id)), to = node(Ref(path: edge.to.path, id: edge.to.id))
            lines.append("  \(from) -> \(to) [style=dashed, label=\"replaced by\"];")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}

/// Experiment commits as lineage names them: `experiment lr01 (1a2b3c4)` instead of a bare sha, so a run made by
/// `cairn exp run` is marked as such (`lineage --downstream` lists branches' and experiments' runs together).
enum ExperimentLabels {
    private static let known = Locked<[String: String]>([:])

    /// Reads the experiment references once per command (a list of refs; no commit is opened).
    static func load(git: GitRepository) {
        var names: [String: String] = [:]
        for (reference, sha) in (try? git.references(withPrefix: ExperimentRefs.prefix)) ?? [] {
            if let parsed = ExperimentRefs.parse(reference) { names[sha] = parsed.name }
        }
        known.withLock { $0 = names }
    }

    static func commit(_ sha: String) -> String {
        let short = HistoryDisplay.shortSha(sha)
        return known.snapshot[sha].map { "experiment \($0) (\(short))" } ?? short
    }

    static func names(for shas: [String]) -> [String: String] {
        let names = known.snapshot
        return Dictionary(shas.compactMap { sha in names[sha].map { (sha, $0) } }) { a, _ in a }
    }
}
