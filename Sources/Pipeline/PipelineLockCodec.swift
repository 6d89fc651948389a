import Basics
import Workspace

/// cairn.lock text ⇄ `PipelineLock` (format 1, docs/formats.md). The text is made for Git: stages sorted by name,
/// every dep and out on one line, every params key on one line, so a re-run that changes one thing changes a few
/// lines, and two branches that re-run different stages merge without conflict.
public enum PipelineLockCodec {
    static let header = "# cairn.lock: written by cairn repro, committed to Git; do not edit (docs/formats.md)"

    public static func encode(_ lock: PipelineLock) -> String {
        var lines = [header, "format: \(PipelineLock.formatVersion)", "stages:"]
        if lock.stages.isEmpty { lines[2] = "stages: {}" }
        for name in lock.stages.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let stage = lock.stages[name]!
            lines.append("  \(LockScalar.key(name)):")
            switch stage.cmd {
            case .list(let commands):
                lines.append("    cmd:")
                lines += commands.map { "    - \(LockScalar.value($0))" }
            default:
                lines.append("    cmd: \(LockScalar.value(stage.cmd))")
            }
            if !stage.deps.isEmpty {
                lines.append("    deps:")
                lines += stage.deps.map { "    - " + entry($0, isOut: false) }
            }
            if !stage.params.isEmpty {
                lines.append("    params:")
                for file in stage.params.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                    let values = stage.params[file]!
                    if values.isEmpty { lines.append("      \(LockScalar.key(file)): {}"); continue }
                    lines.append("      \(LockScalar.key(file)):")
                    lines += values.entries.map { "        \(LockScalar.key($0.key)): \(LockScalar.value($0.value))" }
                }
            }
            if !stage.outs.isEmpty {
                lines.append("    outs:")
                lines += stage.outs.map { "    - " + entry($0, isOut: true) }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func entry(_ e: LockedPath, isOut: Bool) -> String {
        var fields = ["path: \(LockScalar.string(e.path))", "type: \(e.type.rawValue)", "id: \"\(e.id.prefixed)\"", "size: \(e.size)"]
        if e.type == .directory { fields.append("files: \(e.files ?? 0)") }
        if e.type == .file && e.executable { fields.append("executable: true") }
        if isOut && !e.cache { fields.append("cache: false") }
        if isOut && !e.push { fields.append("push: false") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    public static func decode(_ text: String, file: String) throws -> PipelineLock {
        let document = try PipelineFileReader.composeYAML(text, displayName: file)
        let top = SourceLocation(file: file, line: document.line, keyPath: "")
        if document.isNull { throw top.error("empty lock file; delete it and run 'cairn repro' to write it again") }
        let pairs = try SchemaReader.mapping(document, at: top, what: "a mapping with 'format' and 'stages'")
        try SchemaReader.checkKeys(pairs, allowed: ["format", "stages"], at: top)
        guard let format = pairs.first(where: { $0.key == "format" }) else { throw top.error("missing 'format'") }
        guard case .scalar(.int(let version)) = format.value.kind else {
            throw top.child("format", line: format.keyLine).error("expected an integer format version")
        }
        guard version == PipelineLock.formatVersion else {
            throw top.child("format", line: format.keyLine)
                .error("format \(version) is not supported by this cairn (it reads format \(PipelineLock.formatVersion)); upgrade cairn")
        }
        var lock = PipelineLock()
        guard let stagesPair = pairs.first(where: { $0.key == "stages" }), !stagesPair.value.isNull else { return lock }
        let stagesAt = top.child("stages", line: stagesPair.keyLine)
        let lockDirectory = Paths.parent(file)
        for (name, line, body) in try SchemaReader.mapping(stagesPair.value, at: stagesAt, what: "a mapping of stage names") {
            let at = stagesAt.child(name, line: line)
            try PipelineParser.checkStageName(name.split(separator: "@", maxSplits: 1).first.map(String.init) ?? name, at: at)
            lock.stages[name] = try stage(body, at: at, lockDirectory: lockDirectory)
        }
        return lock
    }

    private static func stage(_ node: SourceNode, at: SourceLocation, lockDirectory: String) throws -> LockedStage {
        let pairs = try SchemaReader.mapping(node, at: at, what: "a stage entry")
        try SchemaReader.checkKeys(pairs, allowed: ["cmd", "deps", "params", "outs"], at: at)
        guard let cmdPair = pairs.first(where: { $0.key == "cmd" }) else { throw at.error("missing 'cmd'") }
        let cmdAt = at.child("cmd", line: cmdPair.keyLine)
        let cmd = cmdPair.value.value
        switch cmd {
        case .string: break
        case .list(let items) where items.allSatisfy({ if case .string = $0 { return true } else { return false } }): break
        default: throw cmdAt.at(cmdPair.value).error("expected a string or a list of strings, got \(cmdPair.value.typeDescription)")
        }
        var stage = LockedStage(cmd: cmd)
        for pair in pairs {
            let here = at.child(pair.key, line: pair.keyLine)
            switch pair.key {
            case "deps", "outs":
                if pair.value.isNull { continue }
                let items = try SchemaReader.list(pair.value, at: here, what: "a list of entries")
                let entries = try items.map { try entry($0, at: here.at($0), isOut: pair.key == "outs", lockDirectory: lockDirectory) }
                if pair.key == "deps" { stage.deps = entries } else { stage.outs = entries }
            case "params":
                if pair.value.isNull { continue }
                for (file, fileLine, values) in try SchemaReader.mapping(pair.value, at: here, what: "a mapping of params files") {
                    let fileAt = here.child(file, line: fileLine)
                    _ = try PipelinePaths.resolve(file, in: lockDirectory, at: fileAt)
                    guard case .map(let map) = values.value else {
                        if values.isNull { stage.params[file] = ParamMap(); continue }
                        throw fileAt.at(values).error("expected a mapping of keys to values, got \(values.typeDescription)")
                    }
                    stage.params[file] = map
                }
            default: break
            }
        }
        return stage
    }

    private static func entry(_ node: SourceNode, at: SourceLocation, isOut: Bool, lockDirectory: String) throws -> LockedPath {
        let pairs = try SchemaReader.mapping(node, at: at, what: "an entry {path, type, id, size}")
        var allowed = ["path", "type", "id", "size", "files", "executable"]
        if isOut { allowed += ["cache", "push"] }
        try SchemaReader.checkKeys(pairs, allowed: allowed, at: at)
        func field(_ key: String) throws -> SourceNode {
            guard let pair = pairs.first(where: { $0.key == key }) else { throw at.error("missing '\(key)'") }
            return pair.value
        }
        let path = try SchemaReader.string(try field("path"), at: at, what: "a path")
        // The same rules as cairn.yaml paths: relative, inside the repository, never into .git or .cairn.
        let repoPath = try PipelinePaths.resolve(path, in: lockDirectory, at: at)
        if repoPath.isEmpty { throw at.error("'\(path)' names the repository root") }
        // Normalised: no `.` or empty components, and `..` only at the start (a dep above the lock's directory).
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard path == LockScalar.normalised(path), !parts.drop(while: { $0 == ".." }).contains("..") else {
            throw at.error("'\(path)' is not a normalised path")
        }
        guard let type = PointerFile.DataType(rawValue: try SchemaReader.string(try field("type"), at: at, what: "file or directory")) else {
            throw at.error("type must be file or directory")
        }
        let idText = try SchemaReader.string(try field("id"), at: at, what: "an id 'sha256:…'")
        guard let id = ObjectID(prefixed: idText) else { throw at.error("'\(idText)' is not an id of the form sha256:<64 hex digits>") }
        var entry = LockedPath(path: path, type: type, id: id, size: try count(try field("size"), "size", at: at))
        if let files = pairs.first(where: { $0.key == "files" }) { entry.files = try count(files.value, "files", at: at) }
        if type == .directory && entry.files == nil { throw at.error("missing 'files' for a directory") }
        for (key, node) in pairs.map({ ($0.key, $0.value) }) where ["executable", "cache", "push"].contains(key) {
            let value = try SchemaReader.bool(node, at: at)
            switch key {
            case "executable": entry.executable = value
            case "cache": entry.cache = value
            default: entry.push = value
            }
        }
        return entry
    }

    private static func count(_ node: SourceNode, _ key: String, at: SourceLocation) throws -> UInt64 {
        guard case .scalar(.int(let n)) = node.kind, n >= 0 else { throw at.error("'\(key)' must be a non-negative integer") }
        return UInt64(n)
    }
}
