import Basics
import Workspace

/// One run-cache entry: the full lock entry of one successful run (out ids included), as one line of canonical
/// JSON. The file is named by the SHA-256 of its bytes, so it can be checked without trusting anything else, never
/// changes once written, and two processes (or two clones pushing to one remote) recording the same run write the
/// same name with the same bytes: they never clash.
struct RunCacheEntry: Equatable {
    /// Entry files larger than this are not run-cache entries (a real one is a few hundred bytes per out).
    static let maxBytes = 4 << 20

    var key: String
    var lockDirectory: String
    var stage: LockedStage

    func encode() -> String {
        let document = ParamMap([
            ("run-cache", .int(RunCacheKey.formatVersion)),
            ("key", .string(key)),
            ("dir", .string(lockDirectory)),
            ("cmd", stage.cmd),
            ("deps", .list(stage.deps.map { RunCacheEntry.pathValue($0, isOut: false) })),
            ("params", RunCacheKey.paramsValue(stage.params)),
            ("outs", .list(stage.outs.map { RunCacheEntry.pathValue($0, isOut: true) })),
        ])
        return CanonicalJSON.encode(.map(document)) + "\n"
    }

    /// The file name an entry with these bytes has.
    static func name(of text: String) -> String { ObjectID.of(Array(text.utf8)).hex }

    static func pathValue(_ path: LockedPath, isOut: Bool) -> ParamValue {
        var map = ParamMap([("path", .string(path.path)), ("type", .string(path.type.rawValue)),
                            ("id", .string(path.id.prefixed)), ("size", .int(Int(clamping: path.size)))])
        if let files = path.files { map["files"] = .int(Int(clamping: files)) }
        if path.executable { map["executable"] = .bool(true) }
        if isOut && !path.cache { map["cache"] = .bool(false) }
        if isOut && !path.push { map["push"] = .bool(false) }
        return .map(map)
    }

    /// Parses an entry file; `file` names it in errors. Anything unexpected is an error: the caller skips the entry.
    static func decode(_ text: String, file: String) throws -> RunCacheEntry {
        guard case .map(let map) = try JSONReader.parse(text, file: file) else {
            throw CairnError("\(file): not a run-cache entry (not a JSON object)")
        }
        func fail(_ what: String) -> CairnError { CairnError("\(file): not a run-cache entry (\(what))") }
        guard case .int(let version)? = map["run-cache"] else { throw fail("no format number") }
        guard version == RunCacheKey.formatVersion else {
            throw CairnError("\(file): run-cache entry format \(version) is not \(RunCacheKey.formatVersion)"
                + " (written by another cairn)")
        }
        guard case .string(let key)? = map["key"], key.utf8.count == 64, ObjectID(hex: key) != nil else {
            throw fail("bad key")
        }
        guard case .string(let directory)? = map["dir"] else { throw fail("no dir") }
        guard let cmd = map["cmd"] else { throw fail("no cmd") }
        guard case .list(let deps)? = map["deps"], case .list(let outs)? = map["outs"] else {
            throw fail("deps or outs missing")
        }
        var params: [String: ParamMap] = [:]
        if case .map(let files)? = map["params"] {
            for (name, value) in files.entries {
                guard case .map(let values) = value else { throw fail("params of \(name) are not a mapping") }
                params[name] = values
            }
        }
        let stage = LockedStage(cmd: cmd, deps: try deps.map { try lockedPath($0, fail) },
                                params: params, outs: try outs.map { try lockedPath($0, fail) })
        return RunCacheEntry(key: key, lockDirectory: directory, stage: stage)
    }

    private static func lockedPath(_ value: ParamValue, _ fail: (String) -> CairnError) throws -> LockedPath {
        guard case .map(let map) = value,
              case .string(let path)? = map["path"], !path.isEmpty,
              case .string(let typeName)? = map["type"], let type = PointerFile.DataType(rawValue: typeName),
              case .string(let idText)? = map["id"], let id = ObjectID(prefixed: idText),
              case .int(let size)? = map["size"], size >= 0 else {
            throw fail("a dep or out lacks path, type, id or size")
        }
        var files: UInt64?
        if case .int(let count)? = map["files"], count >= 0 { files = UInt64(count) }
        func flag(_ name: String, _ fallback: Bool) -> Bool {
            if case .bool(let b)? = map[name] { return b }
            return fallback
        }
        return LockedPath(path: path, type: type, id: id, size: UInt64(size), files: files,
                          executable: flag("executable", false), cache: flag("cache", true), push: flag("push", true))
    }
}
