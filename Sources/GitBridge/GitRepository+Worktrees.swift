import Basics
import CGit2

/// Temporary linked worktrees (`cairn reproduce`): created detached at a commit, removed and pruned afterwards.
/// The user's work tree, HEAD, index and branches are never touched.
extension GitRepository {
    /// Adds a linked worktree named `name` at `path` (which must not exist), its files checked out from `revision`
    /// and its HEAD detached there.
    ///
    /// libgit2 1.5 can only add a worktree on a branch, so a short-lived branch `cairn-worktree-<name>` is
    /// created at the commit, the worktree checked out on it, its HEAD detached, and the branch deleted again.
    public func addDetachedWorktree(name: String, path: String, revision: String) throws {
        try lock.withLock {
            var oid = try withCommit(revision) { git_commit_id($0).pointee }
            let branchName = "cairn-worktree-\(name)"
            let subject = "\(workdir): worktree \(name) at \(path)"
            var branch: OpaquePointer?
            try withCommitID(&oid, sha: revision) { commit in
                try GitError.check(git_branch_create(&branch, handle, branchName, commit, 0), "git_branch_create",
                                   subject: subject)
            }
            defer {
                if let branch {
                    _ = git_branch_delete(branch)
                    git_reference_free(branch)
                }
            }
            var options = git_worktree_add_options()
            try GitError.check(git_worktree_add_options_init(&options, UInt32(GIT_WORKTREE_ADD_OPTIONS_VERSION)),
                               "git_worktree_add_options_init", subject: subject)
            options.ref = branch
            options.checkout_options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue
            var worktree: OpaquePointer?
            try GitError.check(git_worktree_add(&worktree, handle, name, path, &options), "git_worktree_add",
                               subject: subject)
            defer { git_worktree_free(worktree) }
            var opened: OpaquePointer?
            try GitError.check(git_repository_open_from_worktree(&opened, worktree),
                               "git_repository_open_from_worktree", subject: subject)
            defer { git_repository_free(opened) }
            // Detached: the branch can then be deleted (libgit2 refuses to delete a branch checked out anywhere).
            try GitError.check(git_repository_set_head_detached(opened, &oid), "git_repository_set_head_detached",
                               subject: subject)
        }
    }

    /// Removes the linked worktree `name`: its working folder (when `removeFiles`) and its administrative files
    /// under `.git/worktrees/`, as `git worktree remove --force` and `git worktree prune` would.
    /// A worktree that is not registered (already pruned) is no error.
    public func removeWorktree(name: String, removeFiles: Bool) throws {
        // git_worktree_lookup answers a generic error, not "not found", for an unknown name: ask the list first.
        guard try worktreeNames().contains(name) else { return }
        try lock.withLock {
            var found: OpaquePointer?
            try GitError.check(git_worktree_lookup(&found, handle, name), "git_worktree_lookup",
                               subject: "\(workdir): worktree \(name)")
            defer { git_worktree_free(found) }
            var options = git_worktree_prune_options()
            try GitError.check(git_worktree_prune_options_init(&options, UInt32(GIT_WORKTREE_PRUNE_OPTIONS_VERSION)),
                               "git_worktree_prune_options_init", subject: "\(workdir): worktree \(name)")
            options.flags = GIT_WORKTREE_PRUNE_VALID.rawValue | GIT_WORKTREE_PRUNE_LOCKED.rawValue
                | (removeFiles ? GIT_WORKTREE_PRUNE_WORKING_TREE.rawValue : 0)
            try GitError.check(git_worktree_prune(found, &options), "git_worktree_prune",
                               subject: "\(workdir): worktree \(name)")
        }
    }

    /// Names of the linked worktrees registered in the common Git directory.
    public func worktreeNames() throws -> [String] {
        try lock.withLock {
            var list = git_strarray()
            try GitError.check(git_worktree_list(&list, handle), "git_worktree_list", subject: commonGitDir)
            defer { git_strarray_dispose(&list) }
            return (0..<list.count).compactMap { list.strings[$0].map { String(cString: $0) } }
        }
    }
}
