import Basics
import GitBridge

/// `cairn init`: creates `.cairn/` next to `.git`. Idempotent; every file is written atomically, so an
/// interrupted init is finished by running it again.
public enum RepositoryInit {
    public enum Outcome: Sendable { case created(String), alreadyInitialized(String) }

    static let gitignore = """
        # cairn: local state that must not be committed (docs/formats.md)
        /cache/
        /tmp/
        /state.db*
        /lineage.db*
        /lock
        /config.local
        /remotes/
        /transfer/

        """

    /// The entries every `.cairn/.gitignore` must have: local state that `git add -A` must never pick up.
    /// Repositories made by an older cairn lack some; `repairIgnore` adds them.
    static let requiredIgnoreEntries = ["/cache/", "/tmp/", "/state.db*", "/lineage.db*", "/lock", "/config.local",
                                        "/remotes/", "/transfer/"]

    /// Appends the required entries `.cairn/.gitignore` lacks (a repository made by an older cairn); leaves the
    /// user's own lines alone. One read when nothing is missing.
    package static func repairIgnore(_ dotCairn: String) throws {
        let ignore = Paths.join(dotCairn, ".gitignore")
        guard let stat = try FS.lstat(ignore), stat.isRegular else {
            if !FS.exists(ignore) { try FS.writeAtomically(ignore, gitignore) }
            return
        }
        let text = try FS.readString(ignore)
        let present = Set(text.split(separator: "\n").map { String($0).trimmingWhitespace })
        let missing = requiredIgnoreEntries.filter { !present.contains($0) }
        guard !missing.isEmpty else { return }
        var updated = text
        if !updated.isEmpty && !updated.hasSuffix("\n") { updated += "\n" }
        updated += missing.joined(separator: "\n") + "\n"
        try FS.writeAtomically(ignore, updated)
    }

    public static func run(cwd: String) throws -> Outcome {
        let git = try GitRepository.discover(startingAt: cwd)
        let dotCairn = Paths.join(git.workdir, CairnRepository.directoryName)
        let formatPath = Paths.join(dotCairn, "format")
        if FS.exists(formatPath) {
            try CairnRepository.checkFormat(dotCairn)
            try ensureLayout(dotCairn)
            return .alreadyInitialized(dotCairn)
        }
        try ensureLayout(dotCairn)
        // The format file goes last: its presence marks a complete repository.
        try FS.writeAtomically(formatPath, "\(CairnRepository.formatVersion)\n")
        return .created(dotCairn)
    }

    private static func ensureLayout(_ dotCairn: String) throws {
        try FS.makeDirectories(Paths.join(dotCairn, "cache"))
        try FS.makeDirectories(Paths.join(dotCairn, "tmp"))
        let ignore = Paths.join(dotCairn, ".gitignore")
        if !FS.exists(ignore) { try FS.writeAtomically(ignore, gitignore) }
        let config = Paths.join(dotCairn, "config")
        if !FS.exists(config) { try FS.writeAtomically(config, RepoConfig.defaultText) }
    }
}
