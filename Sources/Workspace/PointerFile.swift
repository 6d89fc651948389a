import Basics

/// `PATH.cairn`: the small YAML file committed to Git in place of the data (format documented in docs/formats.md).
/// Keys are written in a fixed order so that diffs stay minimal and the bytes are stable across runs.
public struct PointerFile: Equatable, Sendable {
    public static let formatVersion = 1
    public static let suffix = ".cairn"
    public enum DataType: String, Sendable { case file, directory }
    public enum Kind: String, CaseIterable, Sendable { case dataset, feature, model }

    /// The data's file name; the data sits next to the pointer.
    public var path: String
    public var type: DataType
    public var id: ObjectID
    public var size: UInt64
    public var executable: Bool = false
    /// Number of files below a directory (0 for files).
    public var files: UInt64 = 0
    public var kind: Kind?
    public var desc: String?

    public init(path: String, type: DataType, id: ObjectID, size: UInt64, executable: Bool = false,
                files: UInt64 = 0, kind: Kind? = nil, desc: String? = nil) {
        self.path = path; self.type = type; self.id = id; self.size = size
        self.executable = executable; self.files = files; self.kind = kind; self.desc = desc
    }

    public func encode() -> String {
        var lines = ["# cairn pointer file: the data is in cairn's store, not in Git (docs/formats.md)"]
        lines.append("format: \(PointerFile.formatVersion)")
        lines.append("path: \(PointerFile.yamlScalar(path))")
        lines.append("type: \(type.rawValue)")
        lines.append("id: \(id.prefixed)")
        lines.append("size: \(size)")
        if type == .file && executable { lines.append("executable: true") }
        if type == .directory { lines.append("files: \(files)") }
        if let kind { lines.append("kind: \(kind.rawValue)") }
        if let desc { lines.append("desc: \(PointerFile.quoted(desc))") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses and validates a pointer. `file` is used in error messages; `expectedName` is the data's name
    /// derived from the pointer's own file name.
    public static func decode(_ text: String, file: String, expectedName: String) throws -> PointerFile {
        func fail(_ what: String) -> CairnError { CairnError("\(file): \(what)") }
        let node = try StructuredFileLoader.parseYAML(text, file: file, limits: .pointer)
        guard let map = node as? [String: Any] else { throw fail("not a cairn pointer (expected a YAML mapping)") }
        guard let format = map["format"] else { throw fail("missing key 'format'") }
        guard let version = format as? Int else { throw fail("'format' must be an integer") }
        guard version == formatVersion else {
            throw fail("pointer format \(version) is not supported by this cairn (knows \(formatVersion))")
        }
        guard let path = map["path"] as? String else { throw fail("missing or non-text key 'path'") }
        if let reason = Paths.unsafeReason(path) { throw fail("unsafe 'path': \(reason)") }
        guard path == expectedName else {
            throw fail("'path' is '\(Paths.quoted(path))' but the pointer belongs to '\(Paths.quoted(expectedName))' (the data must sit next to its pointer)")
        }
        guard let typeText = map["type"] as? String, let type = DataType(rawValue: typeText) else {
            throw fail("'type' must be 'file' or 'directory'")
        }
        guard let idText = map["id"] as? String else { throw fail("missing key 'id'") }
        guard let id = ObjectID(prefixed: idText) else { throw fail("'id' must be sha256: followed by 64 hex digits") }
        guard let sizeValue = map["size"] as? Int, sizeValue >= 0 else { throw fail("'size' must be a non-negative integer") }
        var pointer = PointerFile(path: path, type: type, id: id, size: UInt64(sizeValue))
        if let exec = map["executable"] {
            guard let flag = exec as? Bool else { throw fail("'executable' must be true or false") }
            pointer.executable = flag
        }
        if type == .directory {
            guard let count = map["files"] as? Int, count >= 0 else { throw fail("'files' must be a non-negative integer") }
            pointer.files = UInt64(count)
        }
        if let kindValue = map["kind"] {
            guard let text = kindValue as? String, let kind = Kind(rawValue: text) else {
                throw fail("'kind' must be one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            pointer.kind = kind
        }
        if let descValue = map["desc"] {
            guard let text = descValue as? String else { throw fail("'desc' must be text") }
            pointer.desc = text
        }
        return pointer
    }

    /// Plain scalars only for names that YAML cannot read as anything but a string.
    static func yamlScalar(_ s: String) -> String {
        let safe = s.utf8.allSatisfy { c in
            (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 46 || c == 95 || c == 45
        }
        let first = s.utf8.first ?? 0
        let startsWithLetter = (first >= 97 && first <= 122) || (first >= 65 && first <= 90) || first == 95
        let reserved = ["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(s.lowercased())
        return safe && startsWithLetter && !reserved ? s : quoted(s)
    }

    /// A double-quoted YAML scalar (JSON escaping is valid YAML). C0, DEL, C1 and the byte-order mark are escaped:
    /// YAML readers refuse or strip them raw, and they must never reach a terminal from a file cairn wrote.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) || scalar == "\u{FEFF}" {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
