import Basics

/// One reason a stage would run, as `repro --dry` and `status` print it. Paths are repo-relative (what the user
/// sees), params files too.
public enum StageChange: Sendable, Equatable {
    /// The stage has no entry in its cairn.lock: it never ran (or the lock was deleted).
    case neverRun
    case commandChanged(old: ParamValue, new: ParamValue)
    case depAdded(String)
    case depRemoved(String)
    case depModified(String)
    case depMissing(String)
    case paramAdded(file: String, key: String, value: ParamValue)
    case paramRemoved(file: String, key: String, value: ParamValue)
    case paramModified(file: String, key: String, old: ParamValue, new: ParamValue)
    /// The params file is missing or a key the stage lists is not in it (the stage fails if run).
    case paramsUnreadable(file: String, reason: String)
    case outAdded(String)
    case outRemoved(String)
    case outMissing(String)
    case outModified(String)
    /// Deleted from the work tree and not in the cache either: only running the stage brings it back.
    case outNotInCache(String)
    case alwaysChanged
    /// A command with no deps and no outs (DVC's "callback stage") runs every time.
    case noDepsOrOuts
    /// An upstream stage runs first; whether this one must run is known only after it (`--dry`).
    case upstreamRuns(String)
    case forced

    /// Short machine name for `--json`.
    public var kind: String {
        switch self {
        case .neverRun: return "never-run"
        case .commandChanged: return "command-changed"
        case .depAdded: return "dep-added"
        case .depRemoved: return "dep-removed"
        case .depModified: return "dep-modified"
        case .depMissing: return "dep-missing"
        case .paramAdded: return "param-added"
        case .paramRemoved: return "param-removed"
        case .paramModified: return "param-modified"
        case .paramsUnreadable: return "params-unreadable"
        case .outAdded: return "out-added"
        case .outRemoved: return "out-removed"
        case .outMissing: return "out-missing"
        case .outModified: return "out-modified"
        case .outNotInCache: return "out-not-in-cache"
        case .alwaysChanged: return "always-changed"
        case .noDepsOrOuts: return "no-deps-or-outs"
        case .upstreamRuns: return "upstream-runs"
        case .forced: return "forced"
        }
    }

    /// The path (or params file) the change is about, if any.
    public var path: String? {
        switch self {
        case .depAdded(let p), .depRemoved(let p), .depModified(let p), .depMissing(let p), .outAdded(let p),
             .outRemoved(let p), .outMissing(let p), .outModified(let p), .outNotInCache(let p):
            return p
        case .paramAdded(let file, _, _), .paramRemoved(let file, _, _), .paramModified(let file, _, _, _),
             .paramsUnreadable(let file, _):
            return file
        default: return nil
        }
    }

    /// One line for people: `changed dep: data/raw.csv`, `changed param: params.yaml train.lr 0.01 → 0.02`.
    public var description: String {
        switch self {
        case .neverRun: return "not in cairn.lock (never ran)"
        case .commandChanged(let old, let new): return "changed command: \(Self.show(old)) → \(Self.show(new))"
        case .depAdded(let p): return "new dep: \(p)"
        case .depRemoved(let p): return "removed dep: \(p)"
        case .depModified(let p): return "changed dep: \(p)"
        case .depMissing(let p): return "missing dep: \(p)"
        case .paramAdded(let f, let k, let v): return "new param: \(f) \(k) = \(Self.show(v))"
        case .paramRemoved(let f, let k, let v): return "removed param: \(f) \(k) (was \(Self.show(v)))"
        case .paramModified(let f, let k, let o, let n): return "changed param: \(f) \(k) \(Self.show(o)) → \(Self.show(n))"
        case .paramsUnreadable(let f, let reason): return "params: \(f): \(reason)"
        case .outAdded(let p): return "new out: \(p)"
        case .outRemoved(let p): return "removed out: \(p)"
        case .outMissing(let p): return "missing out: \(p)"
        case .outModified(let p): return "changed out: \(p)"
        case .outNotInCache(let p): return "missing out, not in cache: \(p)"
        case .alwaysChanged: return "always_changed"
        case .noDepsOrOuts: return "no deps and no outs (runs every time)"
        case .upstreamRuns(let s): return "upstream stage \(s) runs first"
        case .forced: return "forced"
        }
    }

    /// Old and new values for `--json` (params and commands), as display text.
    public var values: (old: String?, new: String?) {
        switch self {
        case .commandChanged(let o, let n): return (Self.show(o), Self.show(n))
        case .paramAdded(_, _, let v): return (nil, Self.show(v))
        case .paramRemoved(_, _, let v): return (Self.show(v), nil)
        case .paramModified(_, _, let o, let n): return (Self.show(o), Self.show(n))
        default: return (nil, nil)
        }
    }

    public var key: String? {
        switch self {
        case .paramAdded(_, let k, _), .paramRemoved(_, let k, _), .paramModified(_, let k, _, _): return k
        default: return nil
        }
    }

    static func show(_ value: ParamValue) -> String {
        switch value {
        case .string(let s): return s.contains(" ") || s.isEmpty ? "'\(s)'" : s
        case .list(let items) where items.allSatisfy({ if case .string = $0 { return true } else { return false } }):
            return "[" + items.map { show($0) }.joined(separator: ", ") + "]"
        default: return value.interpolationText
        }
    }

    /// Only outputs are missing and the cache holds them: restoring them is enough, nothing needs to run.
    var isMissingOutput: Bool { if case .outMissing = self { return true } else { return false } }
}
