import Basics
import GitBridge
import Workspace
#if canImport(Glibc)
import Glibc
#endif

/// The temporary linked worktree `cairn reproduce` (and `cairn exp run --temp/--run-all`) runs in: under
/// `<common .git>/cairn-<purpose>/<name>`
/// (inside the Git directory, so neither `git status` nor a scan of the work tree ever sees it), detached at the
/// commit, using the main work tree's cache (CacheLocation). Removed and pruned by `remove()`.
public struct ReproduceWorktree: Sendable {
    public let name: String
    public let path: String
    /// The main repository's Git (the one that owns the worktree registration).
    let git: GitRepository

    public static func create(git: GitRepository, commit: String, mainRoot: String,
                              purpose: String = "reproduce") throws -> ReproduceWorktree {
        let parent = Paths.join(git.commonGitDir, "cairn-\(purpose)")
        let name = "\(purpose)-\(commit.prefix(8))-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        let path = Paths.join(parent, name)
        try withAdministrationLock(git) {
            try FS.makeDirectories(parent)
            try git.addDetachedWorktree(name: name, path: path, revision: commit)
        }
        let worktree = ReproduceWorktree(name: name, path: path, git: git)
        do { try worktree.prepareCairnDirectory(mainRoot: mainRoot) } catch {
            worktree.remove()
            throw error
        }
        return worktree
    }

    /// `.cairn/` as committed at REV lacks the main work tree's uncommitted settings (`config.local`: remotes,
    /// `cache.dir`); a REV from before `cairn init` was committed lacks `.cairn/` altogether. Both are copied from
    /// the main work tree so the worktree uses the same cache and remotes.
    private func prepareCairnDirectory(mainRoot: String) throws {
        let mainCairn = Paths.join(mainRoot, CairnRepository.directoryName)
        let cairn = Paths.join(path, CairnRepository.directoryName)
        try FS.makeDirectories(cairn)
        for file in ["format", "config", ".gitignore", "config.local"] {
            let source = Paths.join(mainCairn, file)
            let destination = Paths.join(cairn, file)
            let alwaysCopied = file == "config.local"
            guard FS.exists(source), alwaysCopied || !FS.exists(destination) else { continue }
            try FS.writeAtomically(destination, try FS.readAll(source))
        }
    }

    /// Deletes the worktree's files and its registration under `.git/worktrees/`. Never throws: it runs on every
    /// way out, and a failure is a warning naming what is left.
    /// Adding and removing worktrees changes `.git/worktrees/` (libgit2 creates it, the last removal deletes it):
    /// several cairn processes doing it at once (`exp run --run-all -j N`) take turns.
    static func withAdministrationLock<T>(_ git: GitRepository, _ body: () throws -> T) throws -> T {
        let lock = try FileLock(path: Paths.join(git.commonGitDir, "cairn-worktrees.lock"), mode: .exclusive)
        return try withExtendedLifetime(lock) { try body() }
    }

    /// This worktree's own Git directory (where repro's one-at-a-time lock lives).
    public var gitDir: String { Paths.join(git.commonGitDir, "worktrees", name) }

    public func remove() {
        do {
            if FS.exists(path) { try FS.removeTree(path) }
            try ReproduceWorktree.withAdministrationLock(git) {
                try git.removeWorktree(name: name, removeFiles: false)
                _ = FS.removeEmptyDirectory(Paths.parent(path))
                // As `git worktree prune` does: no empty `.git/worktrees` left behind.
                _ = FS.removeEmptyDirectory(Paths.join(git.commonGitDir, "worktrees"))
            }
        } catch {
            Diagnostics.warning("could not remove the temporary worktree \(path): \(error)"
                + " (remove it with `git worktree remove --force \(path)`)")
        }
    }
}

/// Ctrl-C during `cairn reproduce` (and a queued experiment's run): remembered instead of ending the process, so the worktree is removed on the way
/// out. (While stage commands run, repro ignores SIGINT itself and the commands get it: their stages fail.)
public enum ReproduceInterrupt {
    nonisolated(unsafe) private static var previous: sighandler_t?

    public static func install() {
        reproduceInterrupted = 0
        previous = signal(SIGINT, { _ in reproduceInterrupted = 1 })
        signal(SIGTERM, { _ in reproduceInterrupted = 1 })
    }

    public static func restore() {
        signal(SIGINT, previous ?? SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    public static var happened: Bool { reproduceInterrupted != 0 }

    public static func check() throws {
        if happened { throw CairnError("interrupted (Ctrl-C)") }
    }
}

nonisolated(unsafe) private var reproduceInterrupted: sig_atomic_t = 0
