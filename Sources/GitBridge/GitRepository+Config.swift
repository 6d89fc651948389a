import Basics
import CGit2

extension GitRepository {
    /// Sets `key` in this repository's own config (.git/config), as `git config KEY VALUE` would.
    public func setConfig(_ key: String, _ value: String) throws {
        try withConfig { config in
            try GitError.check(git_config_set_string(config, key, value), "git_config_set_string", subject: key)
        }
    }

    /// Removes `key` from this repository's own config; a missing key is not an error.
    public func removeConfig(_ key: String) throws {
        try withConfig { config in
            let code = git_config_delete_entry(config, key)
            if code == GitError.notFound { return }
            try GitError.check(code, "git_config_delete_entry", subject: key)
        }
    }

    /// The repository-level config only: a write must never land in the user's global ~/.gitconfig.
    private func withConfig(_ body: (OpaquePointer) throws -> Void) throws {
        try lock.withLock {
            var all: OpaquePointer?
            try GitError.check(git_repository_config(&all, handle), "git_repository_config", subject: gitDir)
            guard let all else { throw CairnError.bug("git_repository_config returned no config") }
            defer { git_config_free(all) }
            var local: OpaquePointer?
            try GitError.check(git_config_open_level(&local, all, GIT_CONFIG_LEVEL_LOCAL), "git_config_open_level",
                               subject: Paths.join(commonGitDir, "config"))
            guard let local else { throw CairnError.bug("git_config_open_level returned no config") }
            defer { git_config_free(local) }
            try body(local)
        }
    }
}
