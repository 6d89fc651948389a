import Basics

/// The rules for file names on a remote. Names come from cairn's own layout, but they are also read back from
/// listings of storage that others can write to, so they are checked before they become paths or keys.
public enum RemoteName {
    /// Temporary files of an upload in progress start with this; listings never show them and names may not
    /// use it, so a half-written file can never be mistaken for a real one.
    public static let temporaryPrefix = ".cairn-tmp-"

    /// Why `name` is not a valid remote file name, or nil when it is valid.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty { return "empty name" }
        if name.hasPrefix("/") { return "name must be relative, not start with '/'" }
        if name.utf8.contains(0) { return "name contains a NUL byte" }
        if name.contains("\\") { return "name contains a backslash" }
        for part in name.split(separator: "/", omittingEmptySubsequences: false) {
            if part.isEmpty { return "name has an empty component" }
            if part == ".." || part == "." { return "name has a '\(part)' component" }
            if part.hasPrefix(temporaryPrefix) { return "name uses the reserved prefix '\(temporaryPrefix)'" }
            if part.utf8.count > 255 { return "name has a component longer than 255 bytes" }
        }
        return nil
    }

    /// Throws a CairnError naming the remote and the name when `name` is invalid.
    public static func validate(_ name: String, remote: String) throws {
        if let problem = problem(name) {
            throw CairnError("remote \(remote): invalid file name '\(name)': \(problem)")
        }
    }

    /// A prefix for `list(prefix:)` may be empty or end in "/", but otherwise follows the same rules.
    public static func validatePrefix(_ prefix: String, remote: String) throws {
        if prefix.isEmpty { return }
        let trimmed = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        if let problem = problem(trimmed) {
            throw CairnError("remote \(remote): invalid prefix '\(prefix)': \(problem)")
        }
    }
}
