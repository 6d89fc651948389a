#if canImport(Glibc)
import Glibc
#endif

/// Finding a program by name as a shell does: the first executable regular file called `name` in the directories
/// of `path` (a PATH value; relative entries are skipped, they would depend on the current directory).
public enum ExecutableSearch {
    /// What is searched when PATH is unset or empty.
    public static let defaultPath = "/usr/local/bin:/usr/bin:/bin"

    public static func find(_ name: String, path: String?) -> String? {
        let searched = path.flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath
        for directory in searched.split(separator: ":") where directory.hasPrefix("/") {
            let candidate = directory.hasSuffix("/") ? String(directory) + name : String(directory) + "/" + name
            if let stat = (try? FS.stat(candidate)) ?? nil, stat.isRegular, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        return nil
    }
}
