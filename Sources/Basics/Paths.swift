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

    /// Checks a repo-relative path read from a file cairn does not control (pointer files, pipelines):
    /// it must be relative, non-empty, and free of "..", "." and empty components, so it cannot escape the repo.
    /// Returns the reason it is rejected, or nil when it is safe.
    public static func unsafeReason(_ relative: String) -> String? {
        if relative.isEmpty { return "empty path" }
        if relative.hasPrefix("/") { return "absolute path '\(relative)'" }
        if relative.utf8.contains(0) { return "path contains a NUL byte" }
        for part in relative.split(separator: "/", omittingEmptySubsequences: false) {
            if part.isEmpty { return "path '\(relative)' has an empty component" }
            if part == ".." { return "path '\(relative)' goes outside the repository" }
            if part == "." { return "path '\(relative)' has a '.' component" }
        }
        return nil
    }
}
