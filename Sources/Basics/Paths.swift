/// String path helpers. cairn keeps paths as POSIX strings ("/"-separated) and repo-relative paths
/// without a leading "./" or trailing "/".
public enum Paths {
    public static func join(_ a: String, _ b: String) -> String {
        if a.isEmpty || b.hasPrefix("/") { return b }
        if b.isEmpty { return a }
        return a.hasSuffix("/") ? a + b : a + "/" + b
    }

    public static func join(_ parts: String...) -> String { parts.reduce("") { join($0, $1) } }

    public static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    public static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// Makes `path` absolute against `cwd` and removes ".", ".." and duplicate slashes lexically.
    public static func absolute(_ path: String, cwd: String) -> String {
        let full = path.hasPrefix("/") ? path : join(cwd, path)
        var parts: [Substring] = []
        for part in full.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The path of `absolutePath` relative to `root`, or nil when it is not inside `root`.
    /// `root` itself gives "".
    public static func relative(_ absolutePath: String, to root: String) -> String? {
        if absolutePath == root { return "" }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard absolutePath.hasPrefix(prefix) else { return nil }
        return String(absolutePath.dropFirst(prefix.count))
    }

    /// Checks a repo-relative path read from a file cairn does not control (pointer files, trees, pipelines):
    /// it must be relative and non-empty, and every component must pass `componentProblem`, so it can neither
    /// escape the repository nor reach `.git` or `.cairn`. Returns the reason it is rejected, or nil when it is safe.
    public static func unsafeReason(_ relative: String) -> String? {
        if relative.isEmpty { return "empty path (the repository root)" }
        if relative.hasPrefix("/") { return "absolute path '\(quoted(relative))'" }
        for part in relative.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            if let problem = componentProblem(part) { return "path '\(quoted(relative))': \(problem)" }
        }
        return nil
    }

    /// The one check for a single name read from outside cairn (a pointer's path, a tree entry, later a lock
    /// entry): why it may not be used, or nil. Empty, ".", "..", "/", NUL and control characters could escape or
    /// confuse; ".git" and ".cairn" in any case (case-insensitive file systems) would let a committed pointer or
    /// tree write into, or delete, Git's or cairn's own data, as git refuses ".git" in trees.
    public static func componentProblem<Name: Collection<UInt8>>(_ name: Name) -> String? {
        if name.isEmpty { return "empty name" }
        if name.elementsEqual([46, 46]) { return "'..' goes outside the repository" }
        if name.elementsEqual([46]) { return "'.' is not a name" }
        if name.contains(47) { return "name contains '/'" }
        if name.contains(0) { return "name contains a NUL byte" }
        if name.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            return "name '\(quoted(String(decoding: name, as: UTF8.self)))' contains a control character"
        }
        let lower = name.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        if lower.elementsEqual(".git".utf8) || lower.elementsEqual(".cairn".utf8) {
            return "'\(String(decoding: name, as: UTF8.self))' is reserved for Git and cairn"
        }
        return nil
    }

    /// A name as it may be printed to a terminal: control characters are escaped (`\n`, `\t`, `\x1b`), as git's
    /// core.quotePath does, so a name can never move the cursor or hide text. Printable text (including
    /// non-ASCII letters) is kept as is.
    public static func quoted(_ name: String) -> String {
        func isControl(_ v: UInt32) -> Bool { v < 0x20 || (0x7F...0x9F).contains(v) }  // C0, DEL and C1 (CSI)
        guard name.unicodeScalars.contains(where: { isControl($0.value) }) else { return name }
        var out = ""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if isControl(scalar.value) {
                    let hex = String(scalar.value, radix: 16)
                    out += (scalar.value < 0x80 ? "\\x" : "\\u") + (hex.count < 2 ? "0" : "") + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
