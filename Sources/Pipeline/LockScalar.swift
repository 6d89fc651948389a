import Basics
import Workspace

/// YAML scalars as cairn.lock writes them: plain when the text reads back as the same string under the YAML 1.2
/// core schema (what the reader uses), double-quoted with JSON escapes otherwise. Values keep their type:
/// `0.1` stays a number and `"0.1"` stays a string, so a params change from one to the other is a change.
enum LockScalar {
    /// A string inside a flow mapping (`{path: …}`): no spaces, commas or brackets unquoted.
    static func string(_ s: String) -> String { plain(s, allowSpace: false) ? s : PointerFile.quotedScalar(s) }

    /// A mapping key in block context (stage names, params files and keys).
    static func key(_ s: String) -> String { plain(s, allowSpace: false) ? s : PointerFile.quotedScalar(s) }

    /// A value in block context, of any type; lists and mappings are written in flow style on one line.
    static func value(_ v: ParamValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d):
            if d.isNaN { return ".nan" }
            if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
            return d.description
        case .string(let s): return plain(s, allowSpace: true) ? s : PointerFile.quotedScalar(s)
        case .list(let items): return "[" + items.map { flowValue($0) }.joined(separator: ", ") + "]"
        case .map(let map): return "{" + map.entries.map { "\(string($0.key)): \(flowValue($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    private static func flowValue(_ v: ParamValue) -> String {
        if case .string(let s) = v { return string(s) }
        return value(v)
    }

    private static func plain(_ s: String, allowSpace: Bool) -> Bool {
        guard let first = s.utf8.first, let last = s.utf8.last, last != 32 else { return false }
        func isWord(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 95 }
        guard isWord(first) || first == 47 || first == 46 else { return false }   // letters, digits, '_', '/' or '.' first ('@' only inside)
        let ok = s.utf8.allSatisfy { c in isWord(c) || c == 46 || c == 45 || c == 47 || c == 64 || (allowSpace && c == 32) }
        // "1.0", "true", "null", "0x1f" are plain-safe characters but read back as something else.
        return ok && YAMLDocument.resolvePlain(s) == .string(s)
    }

    /// `a/./b//c/` → `a/b/c`: what a lock path must already be (`..` is resolved by the path rules).
    static func normalised(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }.joined(separator: "/")
    }
}

extension PipelineLockCodec {
    /// The lock at `lockPath` (repo-relative), or nil when there is none. Read like every file from a repository:
    /// a regular file only, within the pipeline files' size, depth and alias limits.
    public static func load(root: String, lockPath: String) throws -> PipelineLock? {
        let absolute = Paths.join(root, lockPath)
        guard let text = try StructuredFileLoader.readText(absolute, display: lockPath,
                                                            limits: .init(maxBytes: PipelineFileReader.maxFileSize)) else { return nil }
        return try decode(text, file: lockPath)
    }

    /// Writes the lock atomically (temp file, fsync, rename); a lock without stages is removed instead.
    public static func write(_ lock: PipelineLock, root: String, lockPath: String) throws {
        let absolute = Paths.join(root, lockPath)
        if lock.stages.isEmpty {
            if FS.exists(absolute) { try FS.removeFile(absolute) }
            return
        }
        try FS.writeAtomically(absolute, encode(lock))
    }

    /// The lock's repo path next to a cairn.yaml (`models/cairn.yaml` → `models/cairn.lock`).
    public static func lockPath(forPipeline pipelinePath: String) -> String {
        Paths.join(Paths.parent(pipelinePath), PipelineLock.fileName)
    }
}
