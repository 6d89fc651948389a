import Basics
import Workspace

// TEMPORARY (tracked branch only): stands in for the coordinator's PipelineLockCodec until it lands on main;
// deleted by the merge of main. Decodes only what LockedOutputs needs.
public enum PipelineLockCodec {
    public static func load(root: String, lockPath: String) throws -> PipelineLock? {
        guard let text = try StructuredFileLoader.readText(Paths.join(root, lockPath), display: lockPath,
                                                           limits: .pointer) else { return nil }
        return try decode(text, file: lockPath)
    }

    public static func decode(_ text: String, file: String) throws -> PipelineLock {
        func fail(_ what: String) -> CairnError { CairnError("\(file): \(what)") }
        guard let map = try StructuredFileLoader.parseYAML(text, file: file, limits: .pointer) as? [String: Any] else {
            throw fail("not a cairn.lock (expected a YAML mapping)")
        }
        guard map["format"] as? Int == 1 else { throw fail("'format' must be 1") }
        var lock = PipelineLock()
        for (name, value) in map["stages"] as? [String: Any] ?? [:] {
            guard let stage = value as? [String: Any] else { throw fail("stage \(name): not a mapping") }
            var locked = LockedStage(cmd: .string(stage["cmd"] as? String ?? ""))
            for (index, item) in (stage["outs"] as? [Any] ?? []).enumerated() {
                guard let out = item as? [String: Any], let path = out["path"] as? String,
                      let type = (out["type"] as? String).flatMap(PointerFile.DataType.init(rawValue:)),
                      let id = (out["id"] as? String).flatMap(ObjectID.init(prefixed:)),
                      let size = out["size"] as? Int else { throw fail("stage \(name): out \(index + 1) is malformed") }
                locked.outs.append(LockedPath(path: path, type: type, id: id, size: UInt64(size),
                                              files: (out["files"] as? Int).map(UInt64.init),
                                              executable: out["executable"] as? Bool ?? false,
                                              cache: out["cache"] as? Bool ?? true, push: out["push"] as? Bool ?? true))
            }
            lock.stages[name] = locked
        }
        return lock
    }
}
