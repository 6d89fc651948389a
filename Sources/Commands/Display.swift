import ArgumentParser
import Basics
import Workspace

/// Formatting shared by the commands.
enum Display {
    /// A repo-relative path as the user would type it from `cwd` (so printed git commands work as-is).
    static func relative(_ repoPath: String, repo: CairnRepository, cwd: String) -> String {
        TargetResolver.shown(repoPath, cwd: cwd, root: repo.root)
    }

    /// Pointers a command skipped because they could not be read: one `cairn: error:` line each on stderr (after
    /// the command's output for the others), then exit 1.
    static func reportUnreadable(_ errors: [CairnError]) throws {
        guard !errors.isEmpty else { return }
        for error in errors { Terminal.stderr("cairn: error: \(error.message)") }
        throw ExitCode(1)
    }

    /// "1 file", "2 files".
    static func count(_ n: Int, _ noun: String) -> String { Counted.of(n, noun) }

    /// Quotes a path for a shell command line when it needs it.
    static func shellQuoted(_ s: String) -> String { Shell.quoted(s) }
}
