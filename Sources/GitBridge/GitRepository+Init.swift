import Basics
import CGit2

extension GitRepository {
    /// Creates a new repository with a work tree at `path` (like `git init`), through libgit2.
    /// Used by `cairn demo`; an existing repository at `path` is reopened, as `git init` does.
    public static func initialize(at path: String) throws -> GitRepository {
        try GitLibrary.ensureInitialized()
        var created: OpaquePointer?
        try GitError.check(git_repository_init(&created, path, 0), "git_repository_init", subject: path)
        git_repository_free(created)
        return try discover(startingAt: path)
    }
}
