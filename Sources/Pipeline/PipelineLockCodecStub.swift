import Basics

// TEMPORARY stand-in for the coordinator's PipelineLockCodec (contract signatures; JSON text). Deleted when main
// brings the real codec.
public enum PipelineLockCodec {
    public static func encode(_ lock: PipelineLock) -> String {
        func s(_ x: String) -> String { "\"" + x.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\"" }
        func v(_ p: ParamValue) -> String {
            switch p {
            case .null: return "null"
            case .bool(let b): return b ? "true" : "false"
            case .int(let i): return String(i)
            case .float(let d): return d.description
            case .string(let x): return s(x)
            case .list(let xs): return "[" + xs.map(v).joined(separator: ",") + "]"
            case .map(let m): return "{" + m.entries.map { s($0.key) + ":" + v($0.value) }.joined(separator: ",") + "}"
            }
        }
        func path(_ p: LockedPath) -> String {
            "{\"path\":\(s(p.path)),\"type\":\(s(p.type.rawValue)),\"id\":\(s(p.id.prefixed)),\"size\":\(p.size),\"files\":\(p.files.map { String($0) } ?? "null"),\"executable\":\(p.executable),\"cache\":\(p.cache),\"push\":\(p.push)}"
        }
        let stages = lock.stages.keys.sorted().map { name -> String in
            let st = lock.stages[name]!
            let params = "{" + st.params.keys.sorted().map { s($0) + ":" + v(.map(st.params[$0]!)) }.joined(separator: ",") + "}"
            return "\(s(name)):{\"cmd\":\(v(st.cmd)),\"deps\":[\(st.deps.map(path).joined(separator: ","))],\"params\":\(params),\"outs\":[\(st.outs.map(path).joined(separator: ","))]}"
        }
        return "{\"stages\":{\n" + stages.joined(separator: ",\n") + "\n}}\n"
    }

    public static func decode(_ text: String, file: String) throws -> PipelineLock {
        guard case .map(let top) = try JSONReader.parse(text, file: file), case .map(let stages)? = top["stages"] else {
            throw CairnError("\(file): bad lock")
        }
        func path(_ p: ParamValue) throws -> LockedPath {
            guard case .map(let m) = p, case .string(let path)? = m["path"], case .string(let t)? = m["type"],
                  case .string(let id)? = m["id"], let oid = ObjectID(prefixed: id), case .int(let size)? = m["size"] else {
                throw CairnError("\(file): bad path entry")
            }
            var files: UInt64?
            if case .int(let f)? = m["files"] { files = UInt64(f) }
            return LockedPath(path: path, type: t == "file" ? .file : .directory, id: oid, size: UInt64(size), files: files,
                              executable: m["executable"] == .bool(true), cache: m["cache"] != .bool(false), push: m["push"] != .bool(false))
        }
        var lock = PipelineLock()
        for (name, value) in stages.entries {
            guard case .map(let m) = value, let cmd = m["cmd"], case .list(let deps)? = m["deps"], case .list(let outs)? = m["outs"],
                  case .map(let params)? = m["params"] else { throw CairnError("\(file): bad stage") }
            var p: [String: ParamMap] = [:]
            for (f, vals) in params.entries { if case .map(let mm) = vals { p[f] = mm } }
            lock.stages[name] = LockedStage(cmd: cmd, deps: try deps.map(path), params: p, outs: try outs.map(path))
        }
        return lock
    }

    public static func load(root: String, lockPath: String) throws -> PipelineLock? {
        let abs = Paths.join(root, lockPath)
        guard FS.exists(abs) else { return nil }
        return try decode(try FS.readString(abs), file: lockPath)
    }

    public static func write(_ lock: PipelineLock, root: String, lockPath: String) throws {
        let abs = Paths.join(root, lockPath)
        if lock.stages.isEmpty { if FS.exists(abs) { try FS.removeFile(abs) }; return }
        try FS.writeAtomically(abs, encode(lock))
    }
}
