import Basics
import CGit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open Git repository with a work tree, found from a directory inside it. The only owner of the
/// `git_repository` handle: it is freed when this object goes away. Queries that need other libgit2 objects
/// (index, trees, ...) live in extensions, each in its own file, and free what they take on every path.
///
/// libgit2 objects must not be used from two threads at once; the public methods serialise on `lock`,
/// which makes sharing one instance between threads safe.
public final class GitRepository: @unchecked Sendable {
    let handle: OpaquePointer
    let lock = Mutex()

    /// The work tree root: absolute, symlinks resolved (realpath), no trailing slash.
    public let workdir: String
    /// This work tree's Git directory (`.git`, or `.git/worktrees/<name>` for a linked worktree): absolute,
    /// no trailing slash. Holds the index and HEAD of this work tree.
    public let gitDir: String
    /// The Git directory shared by all worktrees (objects, refs, config, hooks); equals `gitDir` for the
    /// main work tree.
    public let commonGitDir: String
    /// True for a work tree made by `git worktree add`.
    public let isLinkedWorktree: Bool

    private init(handle: OpaquePointer, workdir: String) {
        self.handle = handle
        self.workdir = workdir
        gitDir = GitRepository.canonical(String(cString: git_repository_path(handle)))
        commonGitDir = git_repository_commondir(handle).map { GitRepository.canonical(String(cString: $0)) }
            ?? gitDir
        isLinkedWorktree = git_repository_is_worktree(handle) == 1
    }

    deinit { git_repository_free(handle) }

    /// Opens the repository containing `path`, searching upwards like git does (so it works from any
    /// subdirectory and from linked worktrees). The search stops at file-system boundaries and at the
    /// directories in GIT_CEILING_DIRECTORIES, as git's does.
    public static func discover(startingAt path: String) throws -> GitRepository {
        try GitLibrary.ensureInitialized()
        let start = Paths.absolute(path, cwd: FS.currentDirectory())
        // libgit2 answers "not found" for a start that does not exist, which would blame the repository.
        guard FS.exists(start) else {
            throw CairnError("\(start): no such file or directory (cannot look for a Git repository from there)")
        }
        let ceilings = getenv("GIT_CEILING_DIRECTORIES").map { String(cString: $0) }
        var opened: OpaquePointer?
        let code = git_repository_open_ext(&opened, start, 0, ceilings)
        if code == GitError.notFound {
            git_repository_free(opened)
            throw CairnError("not inside a Git repository (searched from \(start))")
        }
        guard code == 0, let opened else {
            let error = GitError.error(code, call: "git_repository_open_ext", subject: start)
            git_repository_free(opened)
            throw error
        }
        guard git_repository_is_bare(opened) == 0, let rawWorkdir = git_repository_workdir(opened) else {
            let gitDir = canonical(String(cString: git_repository_path(opened)))
            git_repository_free(opened)
            throw CairnError("\(gitDir): is a bare Git repository; cairn needs a work tree")
        }
        return GitRepository(handle: opened, workdir: canonical(String(cString: rawWorkdir)))
    }

    /// realpath when the directory exists (so paths compare equal however they were reached), without a
    /// trailing slash (libgit2 adds one to directory paths).
    static func canonical(_ path: String) -> String {
        var result = FS.realPath(path) ?? path
        while result.count > 1 && result.hasSuffix("/") { result.removeLast() }
        return result
    }
}
