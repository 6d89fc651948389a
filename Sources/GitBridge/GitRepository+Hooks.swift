import Basics
import CGit2

/// What the repository is in the middle of. Hooks use it: after `git checkout` during a rebase, tracked data
/// must not be rewritten at every replayed commit (DVC #2208).
public enum RepositoryState: String, Sendable, Equatable, Codable {
    case none
    case merge
    /// Any rebase: `git rebase` (merge or apply backend), `git rebase -i`, and `git am` that may be a rebase.
    case rebase
    /// `git cherry-pick`, one commit or a sequence.
    case cherryPick
    /// Revert, bisect, `git am`.
    case other
}

extension GitRepository {
    /// The directory git runs hooks from: `core.hooksPath` when set (a relative value is relative to the
    /// work tree root, where git runs hooks; `~/` is expanded), otherwise `<commonGitDir>/hooks`, which
    /// linked worktrees share with the main one. The directory may not exist yet.
    public var hooksDirectory: String {
        get throws {
            try lock.withLock {
                guard let configured = try configuredHooksPath(), !configured.isEmpty else {
                    return Paths.join(commonGitDir, "hooks")
                }
                var path = configured
                while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
                return path.hasPrefix("/") ? path : Paths.join(workdir, path)
            }
        }
    }

    /// `core.hooksPath` from a fresh snapshot of the config (so a value set by another process since this
    /// repository was opened is seen), or nil when unset.
    private func configuredHooksPath() throws -> String? {
        var snapshot: OpaquePointer?
        try GitError.check(git_repository_config_snapshot(&snapshot, handle), "git_repository_config_snapshot",
                           subject: "\(commonGitDir)/config")
        defer { git_config_free(snapshot) }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        let code = git_config_get_path(&buffer, snapshot, "core.hooksPath")
        if code == GitError.notFound { return nil }
        try GitError.check(code, "git_config_get_path", subject: "\(commonGitDir)/config: core.hooksPath")
        guard let raw = buffer.ptr else { return nil }
        return String(cString: raw)
    }

    /// The operation in progress in this work tree, read from the marker files git leaves in `gitDir`.
    public var state: RepositoryState {
        lock.withLock {
            let raw = git_repository_state(handle)
            switch UInt32(bitPattern: raw) {
            case GIT_REPOSITORY_STATE_NONE.rawValue:
                return .none
            case GIT_REPOSITORY_STATE_MERGE.rawValue:
                return .merge
            case GIT_REPOSITORY_STATE_REBASE.rawValue, GIT_REPOSITORY_STATE_REBASE_INTERACTIVE.rawValue,
                 GIT_REPOSITORY_STATE_REBASE_MERGE.rawValue, GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE.rawValue:
                return .rebase
            case GIT_REPOSITORY_STATE_CHERRYPICK.rawValue, GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE.rawValue:
                return .cherryPick
            default:
                return .other
            }
        }
    }
}
