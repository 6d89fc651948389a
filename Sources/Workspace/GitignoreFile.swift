import Basics

/// Edits the `.gitignore` next to tracked data, so Git ignores the data while the pointer is committed.
/// Lines are matched exactly; everything else in the file is left as the user wrote it.
public enum GitignoreFile {
    /// The anchored pattern cairn writes for a data file or directory named `name`.
    static func pattern(for name: String) -> String {
        // Escape the characters .gitignore treats specially so unusual names match literally.
        var escaped = ""
        for c in name {
            if "*?[]\\!#".contains(c) { escaped.append("\\") }
            escaped.append(c)
        }
        if escaped.hasSuffix(" ") { escaped = String(escaped.dropLast()) + "\\ " }
        return "/" + escaped
    }

    /// The repo-relative path of the .gitignore that holds the pattern for `dataPath` (the one next to it).
    static func path(for dataPath: String) -> String {
        let dir = Paths.parent(dataPath)
        return dir.isEmpty ? ".gitignore" : dir + "/.gitignore"
    }

    /// Adds the pattern for `dataPath` (repo-relative) to `<dir>/.gitignore`; returns the .gitignore's
    /// repo-relative path when the file changed.
    @discardableResult
    public static func add(dataPath: String, root: String) throws -> String? {
        let ignoreRel = path(for: dataPath)
        let abs = Paths.join(root, ignoreRel)
        let line = pattern(for: Paths.basename(dataPath))
        var text = FS.exists(abs) ? try FS.readString(abs) : ""
        if text.split(separator: "\n", omittingEmptySubsequences: false).contains(where: { $0 == line }) { return nil }
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        text += line + "\n"
        try FS.writeAtomically(abs, text)
        return ignoreRel
    }

    /// Makes Git ignore `dataPath` in this clone only, through `info/exclude` in the common Git directory:
    /// used for data a checkout left on disk although the new commit does not track it (its committed
    /// .gitignore no longer names it), so `git add -A` can never put it into Git. Nothing to commit.
    public static func excludeLocally(dataPath: String, commonGitDir: String) throws {
        let abs = Paths.join(commonGitDir, "info/exclude")
        let line = "/" + dataPath.split(separator: "/", omittingEmptySubsequences: false)
            .map { pattern(for: String($0)).dropFirst() }.joined(separator: "/")
        var text = FS.exists(abs) ? try FS.readString(abs) : ""
        if text.split(separator: "\n", omittingEmptySubsequences: false).contains(where: { $0 == line }) { return }
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        text += line + "\n"
        try FS.makeDirectories(Paths.parent(abs))
        try FS.writeAtomically(abs, text)
    }

    /// Removes the pattern for `dataPath`; deletes the .gitignore when nothing else is left in it.
    /// Returns the .gitignore's repo-relative path and whether it was deleted, or nil when nothing changed.
    @discardableResult
    public static func remove(dataPath: String, root: String) throws -> (path: String, deleted: Bool)? {
        let ignoreRel = path(for: dataPath)
        let abs = Paths.join(root, ignoreRel)
        guard FS.exists(abs) else { return nil }
        let line = pattern(for: Paths.basename(dataPath))
        let lines = try FS.readString(abs).split(separator: "\n", omittingEmptySubsequences: false)
        let kept = lines.filter { $0 != line }
        guard kept.count != lines.count else { return nil }
        if kept.allSatisfy({ $0.trimmingCharacters().isEmpty }) {
            try FS.removeFile(abs)
            return (ignoreRel, true)
        }
        var text = kept.joined(separator: "\n")
        if !text.hasSuffix("\n") { text += "\n" }
        try FS.writeAtomically(abs, text)
        return (ignoreRel, false)
    }
}
