import Basics
import Workspace

/// What a stage reads right now, in cairn.lock's shape: its deps' ids and the params values it tracks.
public struct StageInputs: Sendable, Equatable {
    /// In cairn.yaml's order; a missing dep is absent here and listed in `missing`.
    public var deps: [LockedPath]
    public var missing: [String]
    public var params: [String: ParamMap]
    /// A params file that is missing or lacks a listed key: (repo-relative file, reason).
    public var paramsProblems: [(file: String, reason: String)]

    public static func == (a: StageInputs, b: StageInputs) -> Bool {
        a.deps == b.deps && a.missing == b.missing && a.params == b.params
            && a.paramsProblems.map(\.file) == b.paramsProblems.map(\.file)
    }
}

/// The verdict on one stage: why it would run (empty: it is up to date) and what it reads now.
public struct StageEvaluation: Sendable {
    public var changes: [StageChange]
    public var inputs: StageInputs
    /// Everything matches the lock except outputs that are missing from the work tree but in the cache: they
    /// can be checked out instead of running the command (as DVC does after an output was deleted).
    public var restorable: Bool
}

/// Change detection: compares a stage as cairn.yaml defines it now, and the files it names, with its entry in
/// cairn.lock. Deps and outs are hashed through `DataHasher`, i.e. the stat cache, so for an unchanged pipeline
/// this costs one lstat per file and reads nothing.
public struct StageEvaluator {
    let root: String
    let hasher: DataHasher
    /// Whether the cache holds a recorded out (file, or tree and all its files).
    let isCached: (LockedPath) -> Bool

    public init(root: String, hasher: DataHasher, isCached: @escaping (LockedPath) -> Bool) {
        self.root = root
        self.hasher = hasher
        self.isCached = isCached
    }

    /// The deps' ids and the params values, as they are now.
    public func inputs(of stage: Stage, lockDirectory: String) throws -> StageInputs {
        var inputs = StageInputs(deps: [], missing: [], params: [:], paramsProblems: [])
        for dep in stage.deps {
            if let found = try identify(dep.repoPath, lockDirectory: lockDirectory) { inputs.deps.append(found) }
            else { inputs.missing.append(dep.repoPath) }
        }
        for dependency in stage.params {
            let file = dependency.file.repoPath
            let key = LockPaths.relative(file, to: lockDirectory)
            guard FS.exists(Paths.join(root, file)) else {
                inputs.paramsProblems.append((file, "no such params file"))
                continue
            }
            do {
                let params = try ParamsFile.load(root: root, path: file)
                var values = ParamMap()
                if let keys = dependency.keys {
                    // A key naming a mapping (`train`) tracks its leaves, recorded one per key (`train.lr`), so a
                    // change shows as `train.lr 0.5 → 0.25`, not as two whole mappings.
                    for (key, value) in try params.values(forKeys: keys).entries {
                        if case .map = value { for leaf in value.flattened(prefix: key) { values[leaf.key] = leaf.value } }
                        else { values[key] = value }
                    }
                } else {
                    for (k, v) in params.flattened { values[k] = v }
                }
                var merged = inputs.params[key] ?? ParamMap()
                for (k, v) in values.entries { merged[k] = v }
                inputs.params[key] = merged
            } catch let error as CairnError {
                inputs.paramsProblems.append((file, error.message))
            }
        }
        // Values `${…}` took from params files are params of the stage too. DVC notices them only through the
        // changed command line; recorded here, a change reads `params.yaml train.smoothing 1 → 500`.
        for (file, used) in stage.interpolatedParams.sorted(by: { $0.key < $1.key }) {
            let key = LockPaths.relative(file, to: lockDirectory)
            var merged = inputs.params[key] ?? ParamMap()
            for (name, value) in used.entries {
                if case .map = value { for leaf in value.flattened(prefix: name) where merged[leaf.key] == nil { merged[leaf.key] = leaf.value } }
                else if merged[name] == nil { merged[name] = value }
            }
            inputs.params[key] = merged
        }
        return inputs
    }

    /// The current state of a dep or out as a lock entry (without the out options), nil when absent.
    public func identify(_ repoPath: String, lockDirectory: String) throws -> LockedPath? {
        guard let identity = try hasher.identify(repoPath) else { return nil }
        var executable = false
        if identity.type == .file, let st = try FS.lstat(Paths.join(root, repoPath)) { executable = st.isExecutable }
        return LockedPath(path: LockPaths.relative(repoPath, to: lockDirectory), type: identity.type, id: identity.id,
                          size: identity.size, files: identity.type == .directory ? identity.fileCount : nil,
                          executable: executable)
    }

    public func evaluate(_ stage: Stage, locked: LockedStage?, lockDirectory: String) throws -> StageEvaluation {
        let inputs = try self.inputs(of: stage, lockDirectory: lockDirectory)
        var changes: [StageChange] = []
        if stage.alwaysChanged { changes.append(.alwaysChanged) } else if stage.isCallback { changes.append(.noDepsOrOuts) }
        for problem in inputs.paramsProblems { changes.append(.paramsUnreadable(file: problem.file, reason: problem.reason)) }
        for missing in inputs.missing { changes.append(.depMissing(missing)) }
        guard let locked else {
            return StageEvaluation(changes: changes + [.neverRun], inputs: inputs, restorable: false)
        }
        // Params first: when `${…}` put a param into the command, the param is the cause and the command the effect.
        changes += Self.compareParams(now: inputs.params, locked: locked.params, lockDirectory: lockDirectory,
                                      unreadable: Set(inputs.paramsProblems.map { LockPaths.relative($0.file, to: lockDirectory) }))
        if locked.cmd != stage.cmd { changes.append(.commandChanged(old: locked.cmd, new: stage.cmd)) }
        changes += compareDeps(inputs, locked: locked, lockDirectory: lockDirectory)
        var outChanges: [StageChange] = []
        var lockedOuts: [String: LockedPath] = [:]
        for out in locked.outs { lockedOuts[out.path] = out }
        var declared = Set<String>()
        for out in stage.outs {
            let relative = LockPaths.relative(out.path.repoPath, to: lockDirectory)
            declared.insert(relative)
            guard let recorded = lockedOuts[relative] else { outChanges.append(.outAdded(out.path.repoPath)); continue }
            if let now = try identify(out.path.repoPath, lockDirectory: lockDirectory) {
                if now.id != recorded.id || now.type != recorded.type || (now.type == .file && now.executable != recorded.executable) {
                    outChanges.append(.outModified(out.path.repoPath))
                }
            } else if out.cache && recorded.cache && isCached(recorded) {
                outChanges.append(.outMissing(out.path.repoPath))
            } else {
                outChanges.append(.outNotInCache(out.path.repoPath))
            }
        }
        for out in locked.outs where !declared.contains(out.path) {
            outChanges.append(.outRemoved(LockPaths.repoPath(out.path, lockDirectory: lockDirectory)))
        }
        let restorable = changes.isEmpty && !outChanges.isEmpty && outChanges.allSatisfy(\.isMissingOutput)
        return StageEvaluation(changes: changes + outChanges, inputs: inputs, restorable: restorable)
    }

    private func compareDeps(_ inputs: StageInputs, locked: LockedStage, lockDirectory: String) -> [StageChange] {
        var changes: [StageChange] = []
        var recorded: [String: LockedPath] = [:]
        for dep in locked.deps { recorded[dep.path] = dep }
        for dep in inputs.deps {
            guard let old = recorded.removeValue(forKey: dep.path) else {
                changes.append(.depAdded(LockPaths.repoPath(dep.path, lockDirectory: lockDirectory)))
                continue
            }
            if old.id != dep.id || old.type != dep.type {
                changes.append(.depModified(LockPaths.repoPath(dep.path, lockDirectory: lockDirectory)))
            }
        }
        for missing in inputs.missing { recorded.removeValue(forKey: LockPaths.relative(missing, to: lockDirectory)) }
        // DVC ignores a dep taken out of dvc.yaml (#9913); the lock would then claim a provenance that is not true.
        for dep in locked.deps where recorded[dep.path] != nil {
            changes.append(.depRemoved(LockPaths.repoPath(dep.path, lockDirectory: lockDirectory)))
        }
        return changes
    }

    /// Params added, removed (#9913) or changed, key by key. Values compare as DVC compares them (Python `==`:
    /// `1` equals `1.0`), so reformatting a params file runs nothing.
    static func compareParams(now: [String: ParamMap], locked: [String: ParamMap], lockDirectory: String,
                              unreadable: Set<String>) -> [StageChange] {
        var changes: [StageChange] = []
        for file in Set(now.keys).union(locked.keys).sorted() where !unreadable.contains(file) {
            let shown = LockPaths.repoPath(file, lockDirectory: lockDirectory)
            let current = now[file] ?? ParamMap(), old = locked[file] ?? ParamMap()
            for (key, value) in current.entries {
                if let was = old[key] {
                    if !sameValue(was, value) { changes.append(.paramModified(file: shown, key: key, old: was, new: value)) }
                } else {
                    changes.append(.paramAdded(file: shown, key: key, value: value))
                }
            }
            for (key, value) in old.entries where current[key] == nil {
                changes.append(.paramRemoved(file: shown, key: key, value: value))
            }
        }
        return changes
    }

    static func sameValue(_ a: ParamValue, _ b: ParamValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .float(let y)), (.float(let y), .int(let x)): return Double(x) == y
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameValue($0, $1) }
        case (.map(let x), .map(let y)):
            return x.count == y.count && x.entries.allSatisfy { entry in y[entry.key].map { sameValue(entry.value, $0) } ?? false }
        default: return a == b
        }
    }
}

/// Paths in a cairn.lock are relative to the lock's directory (docs/formats.md); a dep outside that directory
/// (`../data/raw.csv` in `models/cairn.yaml`) climbs out with `..`.
public enum LockPaths {
    public static func relative(_ repoPath: String, to directory: String) -> String {
        if directory.isEmpty { return repoPath }
        if repoPath.hasPrefix(directory + "/") { return String(repoPath.dropFirst(directory.count + 1)) }
        let base = directory.split(separator: "/"), target = repoPath.split(separator: "/")
        var common = 0
        while common < base.count && common < target.count && base[common] == target[common] { common += 1 }
        let ups = Array(repeating: "..", count: base.count - common)
        return (ups + target[common...].map(String.init)).joined(separator: "/")
    }

    /// The repo-relative path of a lock entry's `path`.
    public static func repoPath(_ lockRelative: String, lockDirectory: String) -> String {
        var parts: [Substring] = lockDirectory.isEmpty ? [] : lockDirectory.split(separator: "/")
        for part in lockRelative.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }
}
