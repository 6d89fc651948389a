import Basics

/// The commit message of an experiment: a readable subject and body, then `cairn-exp-*` trailer lines that
/// `exp show` and `exp list` read back (docs/experiments.md). Trailers are one per line; values never contain a
/// newline (params are given on one command line; a failure reason is cut at its first line).
public struct ExperimentMessage: Sendable, Equatable {
    public var name: String
    public var baseline: String
    public var state: Experiment.State
    public var setParams: [String]
    public var targets: [String]
    public var failure: String?
    /// Stage → the environment it ran in, as RunEnvironment JSON (one line each).
    public var environments: [(stage: String, json: String)]
    /// When the experiment was first recorded (queued, or run in the work tree), nanoseconds since the epoch: orders
    /// experiments recorded within one second (commit times have seconds only). Kept when a queued one is run.
    public var createdNs: Int64?

    public init(name: String, baseline: String, state: Experiment.State, setParams: [String], targets: [String],
                failure: String? = nil, environments: [(stage: String, json: String)] = [], createdNs: Int64? = nil) {
        self.name = name
        self.baseline = baseline
        self.state = state
        self.setParams = setParams
        self.targets = targets
        self.failure = failure
        self.environments = environments
        self.createdNs = createdNs
    }

    public static func == (a: ExperimentMessage, b: ExperimentMessage) -> Bool {
        a.name == b.name && a.baseline == b.baseline && a.state == b.state && a.setParams == b.setParams
            && a.targets == b.targets && a.failure == b.failure && a.createdNs == b.createdNs
            && a.environments.map(\.stage) == b.environments.map(\.stage)
            && a.environments.map(\.json) == b.environments.map(\.json)
    }

    public var text: String {
        var lines = ["Experiment \(name) (\(state.rawValue))", ""]
        lines.append(setParams.isEmpty ? "Baseline params." : "Params: " + setParams.joined(separator: " "))
        lines.append("")
        lines.append("cairn-exp-name: \(name)")
        lines.append("cairn-exp-state: \(state.rawValue)")
        lines.append("cairn-exp-baseline: \(baseline)")
        for param in setParams { lines.append("cairn-exp-set-param: \(oneLine(param))") }
        for target in targets { lines.append("cairn-exp-target: \(oneLine(target))") }
        if let failure { lines.append("cairn-exp-failure: \(oneLine(failure))") }
        if let createdNs { lines.append("cairn-exp-created: \(createdNs)") }
        for environment in environments {
            lines.append("cairn-exp-environment: \(oneLine(environment.stage)) \(oneLine(environment.json))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The trailers of `message`; nil when it is not an experiment's message (no name, state or baseline).
    public static func parse(_ message: String) -> ExperimentMessage? {
        var name: String?, baseline: String?, state: Experiment.State?, failure: String?, createdNs: Int64?
        var params: [String] = [], targets: [String] = [], environments: [(String, String)] = []
        for line in message.split(separator: "\n") where line.hasPrefix("cairn-exp-") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].dropFirst("cairn-exp-".count)
            let value = String(line[line.index(after: colon)...].drop { $0 == " " })
            switch key {
            case "name": name = value
            case "baseline": baseline = value
            case "state": state = Experiment.State(rawValue: value)
            case "set-param": params.append(value)
            case "target": targets.append(value)
            case "failure": failure = value
            case "created": createdNs = Int64(value)
            case "environment":
                if let space = value.firstIndex(of: " ") {
                    environments.append((String(value[..<space]), String(value[value.index(after: space)...])))
                }
            default: continue
            }
        }
        guard let name, let baseline, let state else { return nil }
        return ExperimentMessage(name: name, baseline: baseline, state: state, setParams: params, targets: targets,
                                 failure: failure, environments: environments, createdNs: createdNs)
    }

    private func oneLine(_ text: String) -> String {
        String(text.prefix { $0 != "\n" && $0 != "\r" })
    }
}
