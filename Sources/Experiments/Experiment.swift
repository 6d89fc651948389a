import Basics
import GitBridge

/// One experiment: a commit on `refs/exps/<baseline[0..<2]>/<baseline[2...]>/<name>` (DVC's layout) whose only
/// parent is the baseline commit it was run from. Its message carries what `exp show` needs without reading
/// anything else (ExperimentMessage): state, the params it set, when it was queued.
public struct Experiment: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        /// Recorded by `exp run --queue`: the commit holds the changed params, nothing has run.
        case queued
        /// A queued experiment that `--run-all` is running now (a live process holds its marker).
        case running
        /// Ran; the commit holds params, cairn.lock and metrics.
        case done
        /// Ran and a stage failed; the commit is still the queued one.
        case failed
    }

    public var name: String
    /// The full reference name.
    public var reference: String
    /// The experiment's commit.
    public var sha: String
    /// The commit it was run from.
    public var baseline: String
    public var state: State
    /// When it was first recorded (the `cairn-exp-created` trailer), else the commit time; seconds since the epoch.
    public var created: Int64
    /// The same in nanoseconds: the order of experiments (`ExperimentStore.list`).
    public var createdNs: Int64
    /// The `-S` overrides it was run with, as given (`params.yaml:train.lr=0.1`).
    public var setParams: [String]
    /// The stages it ran (empty: every pipeline).
    public var targets: [String]
    /// Why it failed (failed experiments).
    public var failure: String?
    /// The environment each stage ran in, in the order they ran (the commit's `cairn-exp-environment` trailers).
    public var environments: [StageEnvironment]

    /// One stage's RunEnvironment, as the JSON line the experiment commit holds.
    public struct StageEnvironment: Sendable, Equatable, Codable {
        public var stage: String
        public var json: String
    }

    public init(name: String, reference: String, sha: String, baseline: String, state: State, created: Int64,
                setParams: [String], targets: [String], failure: String? = nil, createdNs: Int64? = nil,
                environments: [StageEnvironment] = []) {
        self.name = name
        self.reference = reference
        self.sha = sha
        self.baseline = baseline
        self.state = state
        self.created = created
        self.createdNs = createdNs ?? created * 1_000_000_000
        self.setParams = setParams
        self.targets = targets
        self.failure = failure
        self.environments = environments
    }
}

/// Where experiments live among Git's references.
public enum ExperimentRefs {
    public static let prefix = "refs/exps/"

    /// `refs/exps/ab/cdef…/NAME` for an experiment of `baseline`.
    public static func reference(baseline: String, name: String) -> String {
        "\(prefix)\(baseline.prefix(2))/\(baseline.dropFirst(2))/\(name)"
    }

    /// The baseline and name a reference encodes; nil for anything else under refs/exps/.
    public static func parse(_ reference: String) -> (baseline: String, name: String)? {
        guard reference.hasPrefix(prefix) else { return nil }
        let parts = reference.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 2, parts[1].count == 38, !parts[2].isEmpty else { return nil }
        return (String(parts[0] + parts[1]), String(parts[2]))
    }

    /// A name must make a valid reference component, and must not look like a revision (a sha, HEAD~1).
    public static func validate(name: String) throws {
        let why: String?
        if name.isEmpty { why = "it is empty" }
        else if name.utf8.count > 100 { why = "it is longer than 100 bytes" }
        else if name.contains("/") { why = "it contains '/'" }
        else if name.hasPrefix("-") { why = "it starts with '-'" }
        else if name == "HEAD" || name == "workspace" { why = "'\(name)' is reserved" }
        else if name.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) && name.count >= 4 {
            why = "it looks like a commit id"
        } else if !GitRepository.isValidReferenceName(prefix + "aa/" + String(repeating: "0", count: 38) + "/" + name) {
            why = "it is not a valid Git reference name (no spaces, '..', '~', '^', ':', '?', '*', '[')"
        } else { why = nil }
        if let why { throw CairnError("invalid experiment name '\(name)': \(why)") }
    }
}
