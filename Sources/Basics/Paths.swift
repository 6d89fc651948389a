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
        if relative.isEmpty { return "empty path" }
        if relative.hasPrefix("/") { return "absolute path '\(display(relative))'" }
        if relative.utf8.contains(0) { return "path contains a NUL byte" }
        for part in relative.split(separator: "/", omittingEmptySubsequences: false) {
            if part.isEmpty { return "path '\(display(relative))' has an empty component" }
            if part == ".." { return "path '\(display(relative))' goes outside the repository" }
            if part == "." { return "path '\(display(relative))' has a '.' component" }
            if let problem = componentProblem(part.utf8) { return "path '\(display(relative))': \(problem)" }
        }
        return nil
    }

    /// Git's and cairn's own folders: no pointer, tree entry or pipeline path may name them, in any case and at
    /// any depth (git refuses `.git` components in trees the same way), so data can never be written into them.
    public static let reservedNames = [".git", ".cairn"]

    /// Why one path component (a file or folder name) cannot be tracked, or nil when it can: empty, `.`, `..`,
    /// containing `/`, NUL or a control character (which a .gitignore line or a terminal cannot carry safely), or
    /// a reserved name. Works on bytes: names are compared as bytes, never as Unicode-equivalent strings.
    public static func componentProblem<Name: Collection>(_ name: Name) -> String? where Name.Element == UInt8 {
        if name.isEmpty { return "empty name" }
        if name.elementsEqual([46]) || name.elementsEqual([46, 46]) { return "the name '.' or '..' is not a file name" }
        if name.contains(47) { return "name contains '/'" }
        if name.contains(0) { return "name contains a NUL byte" }
        if name.contains(where: { $0 < 0x20 || $0 == 0x7f }) { return "name contains a control character" }
        let lowered = name.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        for reserved in reservedNames where lowered.elementsEqual(reserved.utf8) {
            return "'\(String(decoding: Array(name), as: UTF8.self))' is reserved (Git's and cairn's own folders are never data)"
        }
        return nil
    }

    /// A path as it can be printed safely: control characters escaped as git's core.quotePath does (`\n`, `\t`,
    /// `\177`), so a hostile name cannot move the cursor or fake output on a terminal.
    public static func display(_ path: String) -> String {
        guard path.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) else { return path }
        var out = ""
        for scalar in path.unicodeScalars {
            switch scalar.value {
            case 0x09: out += "\\t"
            case 0x0a: out += "\\n"
            case 0x0d: out += "\\r"
            case 0..<0x20, 0x7f: out += "\\" + String(scalar.value, radix: 8).leftPadded(to: 3)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
