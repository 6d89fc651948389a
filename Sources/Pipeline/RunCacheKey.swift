import Basics
import Workspace

/// The canonical text the run-cache key is the SHA-256 of, and the canonical JSON both key and entries are written
/// in (docs/formats.md "Run-cache (format 1)"). Canonical means: object keys sorted by their UTF-8 bytes, no
/// whitespace, deps and outs sorted by path, so reordering cairn.yaml or a params file never changes a key, and two
/// writers on two machines always name the same run the same way.
enum RunCacheKey {
    static let formatVersion = 1

    /// What identifies a run: where it ran (the lock's directory: paths are relative to it), what it ran, what it
    /// read (dep paths and ids, params values) and where it wrote (out paths with their cache flags). Never the
    /// out ids (they are the answer), sizes, file counts, the stage name or the machine: identical commands in two
    /// stages, branches or clones share entries, as in DVC.
    static func keyText(lockDirectory: String, stage: LockedStage) -> String {
        let deps = stage.deps.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }.map { dep in
            ParamValue.map(ParamMap([("path", .string(dep.path)), ("id", .string(dep.id.prefixed))]))
        }
        let outs = stage.outs.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }.map { out in
            ParamValue.map(ParamMap([("path", .string(out.path)), ("cache", .bool(out.cache))]))
        }
        let document = ParamMap([
            ("run-cache-key", .int(formatVersion)),
            ("dir", .string(lockDirectory)),
            ("cmd", stage.cmd),
            ("deps", .list(deps)),
            ("params", paramsValue(stage.params)),
            ("outs", .list(outs)),
        ])
        return CanonicalJSON.encode(.map(document))
    }

    static func key(lockDirectory: String, stage: LockedStage) -> String {
        ObjectID.of(Array(keyText(lockDirectory: lockDirectory, stage: stage).utf8)).hex
    }

    static func paramsValue(_ params: [String: ParamMap]) -> ParamValue {
        .map(ParamMap(params.map { ($0.key, ParamValue.map($0.value)) }))
    }
}

/// JSON with sorted keys and no whitespace. Floats print as Swift's shortest round-trip form (what Python's repr
/// prints too); non-finite floats, which JSON cannot hold, as the strings "nan", "inf", "-inf".
enum CanonicalJSON {
    static func encode(_ value: ParamValue) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    static func write(_ value: ParamValue, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let d):
            if d.isFinite {
                out += ParamValue.pythonFloat(d)
            } else {
                writeString(ParamValue.pythonFloat(d), into: &out)
            }
        case .string(let s): writeString(s, into: &out)
        case .list(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        case .map(let map):
            out += "{"
            let sorted = map.entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, entry) in sorted.enumerated() {
                if index > 0 { out += "," }
                writeString(entry.key, into: &out)
                out += ":"
                write(entry.value, into: &out)
            }
            out += "}"
        }
    }

    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
