import Basics
import CGit2

/// Recording a commit through libgit2, as `git add PATHS && git commit -m MESSAGE` would: the demo commits its
/// steps this way, and experiments (commits on refs/exps/…) will build on the same calls.
extension GitRepository {
    /// Stages `paths` (repo-relative files; a path that no longer exists is removed from the index), writes the
    /// index, and commits it on HEAD's branch (a root commit when HEAD is unborn). The author and committer are
    /// Git's configured user (user.name/user.email), or "cairn <cairn@localhost>" when none is set.
    /// Returns the new commit's sha.
    @discardableResult
    public func commit(paths: [String], message: String) throws -> String {
        try withCurrentIndex { index in
            let indexFile = Paths.join(gitDir, "index")
            for path in paths.map(GitRepository.normalized) where !path.isEmpty {
                if FS.exists(Paths.join(workdir, path)) {
                    try GitError.check(git_index_add_bypath(index, path), "git_index_add_bypath", subject: path)
                } else {
                    let code = git_index_remove_bypath(index, path)
                    if code != GitError.notFound { try GitError.check(code, "git_index_remove_bypath", subject: path) }
                }
            }
            try GitError.check(git_index_write(index), "git_index_write", subject: indexFile)
            var treeOID = git_oid()
            try GitError.check(git_index_write_tree(&treeOID, index), "git_index_write_tree", subject: indexFile)
            var tree: OpaquePointer?
            try GitError.check(git_tree_lookup(&tree, handle, &treeOID), "git_tree_lookup", subject: workdir)
            defer { git_tree_free(tree) }

            var parent: OpaquePointer?
            var headOID = git_oid()
            if git_reference_name_to_id(&headOID, handle, "HEAD") == 0 {
                try GitError.check(git_commit_lookup(&parent, handle, &headOID), "git_commit_lookup", subject: "HEAD")
            }
            defer { if let parent { git_commit_free(parent) } }

            var signature: UnsafeMutablePointer<git_signature>?
            if git_signature_default(&signature, handle) != 0 {
                try GitError.check(git_signature_now(&signature, "cairn", "cairn@localhost"), "git_signature_now", subject: workdir)
            }
            defer { git_signature_free(signature) }

            var commitOID = git_oid()
            var parents: [OpaquePointer?] = parent.map { [$0] } ?? []
            let code = parents.withUnsafeMutableBufferPointer { buffer in
                git_commit_create(&commitOID, handle, "HEAD", signature, signature, nil, message, tree,
                                  buffer.count, buffer.baseAddress)
            }
            try GitError.check(code, "git_commit_create", subject: workdir)
            return withUnsafePointer(to: &commitOID) { GitOID.hex($0) }
        }
    }
}
