import Basics
import GitBridge

/// Registers the cairn.lock merge driver with Git, as `cairn install-hooks` does for the hooks: the driver in the
/// repository's own config (`merge.cairn-lock.*`, set through libgit2, never in the user's global config) and the
/// attribute that selects it in `.git/info/attributes`, which is the repository's and not committed, so the
/// user's .gitattributes is never touched. `uninstall-hooks` removes both.
public enum LockMergeDriver {
    public static let name = "cairn-lock"
    /// Git runs the driver through the shell. Like the hooks, it finds cairn on PATH or, failing that, as the
    /// binary that installed it (`git config cairn.binary`), so a merge works from an IDE with a bare PATH.
    public static let driver = #"cairn_bin=$(command -v cairn 2>/dev/null || git config --get cairn.binary); exec "${cairn_bin:-cairn}" merge-lock %O %A %B %P"#
    static let comment = "# cairn: merge cairn.lock stage by stage (cairn install-hooks; uninstall-hooks removes it)"
    static let attribute = "cairn.lock merge=\(name)"

    public static func install(git: GitRepository) throws -> String {
        try git.setConfig("merge.\(name).name", "cairn.lock, merged stage by stage")
        try git.setConfig("merge.\(name).driver", driver)
        let path = attributesPath(git)
        var lines = try currentLines(path)
        if !lines.contains(attribute) {
            if let last = lines.last, last.isEmpty { lines.removeLast() }
            lines += [comment, attribute]
            try FS.makeDirectories(Paths.parent(path))
            try FS.writeAtomically(path, lines.joined(separator: "\n") + "\n")
        }
        return "cairn.lock: merge driver registered (merge.\(name) in .git/config, .git/info/attributes)"
    }

    /// nil when nothing was registered.
    public static func uninstall(git: GitRepository) throws -> String? {
        let path = attributesPath(git)
        let lines = try currentLines(path)
        try git.removeConfig("merge.\(name).name")
        try git.removeConfig("merge.\(name).driver")
        guard lines.contains(attribute) else { return nil }
        let kept = lines.filter { $0 != attribute && $0 != comment }
        if kept.allSatisfy(\.isEmpty) {
            try FS.removeFile(path)
        } else {
            try FS.writeAtomically(path, kept.joined(separator: "\n") + (kept.last == "" ? "" : "\n"))
        }
        return "cairn.lock: merge driver removed"
    }

    /// `info/` is shared by all worktrees of a repository, like the config.
    static func attributesPath(_ git: GitRepository) -> String { Paths.join(git.commonGitDir, "info", "attributes") }

    static func currentLines(_ path: String) throws -> [String] {
        guard try FS.lstat(path) != nil else { return [] }
        var lines = String(decoding: try FS.readAll(path), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
