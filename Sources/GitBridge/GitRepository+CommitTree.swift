import Basics
import CGit2

/// Commits made without touching the index or HEAD: an experiment is a commit on `refs/exps/…` whose tree is its
/// baseline's with some files replaced. The tree is built in an in-memory index, so the user's staged changes,
/// their branch and HEAD stay exactly as they were.
extension GitRepository {
    /// One file of the new tree: its new content (and whether it is executable), or its removal.
    public enum TreeChange: Sendable, Equatable {
        case write([UInt8], executable: Bool)
        case remove
    }

    /// Writes a commit whose tree is `parent`'s tree with `changes` applied (repo-relative paths) and whose only
    /// parent is `parent`; no reference is moved (the caller points one at the returned sha). The author and
    /// committer are Git's configured user, or "cairn <cairn@localhost>".
    public func createCommit(parent: String, changes: [String: TreeChange], message: String) throws -> String {
        try lock.withLock {
            try withCommit(parent) { parentCommit in
                var created: OpaquePointer?
                try GitError.check(git_index_new(&created), "git_index_new", subject: workdir)
                guard let index = created else { throw CairnError.bug("git_index_new returned no index") }
                defer { git_index_free(index) }
                try withTree(of: parentCommit) { tree in
                    try GitError.check(git_index_read_tree(index, tree), "git_index_read_tree", subject: workdir)
                }
                for (path, change) in changes.sorted(by: { $0.key < $1.key }) {
                    let normalized = GitRepository.normalized(path)
                    switch change {
                    case .remove:
                        let code = git_index_remove(index, normalized, 0)
                        if code != GitError.notFound { try GitError.check(code, "git_index_remove", subject: normalized) }
                    case .write(let bytes, let executable):
                        var blob = git_oid()
                        let code = bytes.withUnsafeBytes { raw in
                            git_blob_create_from_buffer(&blob, handle, raw.baseAddress, raw.count)
                        }
                        try GitError.check(code, "git_blob_create_from_buffer", subject: normalized)
                        try normalized.withCString { cPath in
                            var entry = git_index_entry()
                            entry.mode = executable ? 0o100755 : 0o100644
                            entry.id = blob
                            entry.path = cPath
                            try GitError.check(git_index_add(index, &entry), "git_index_add", subject: normalized)
                        }
                    }
                }
                var treeOID = git_oid()
                try GitError.check(git_index_write_tree_to(&treeOID, index, handle), "git_index_write_tree_to",
                                   subject: workdir)
                var tree: OpaquePointer?
                try GitError.check(git_tree_lookup(&tree, handle, &treeOID), "git_tree_lookup", subject: workdir)
                defer { git_tree_free(tree) }
                var signature: UnsafeMutablePointer<git_signature>?
                if git_signature_default(&signature, handle) != 0 {
                    try GitError.check(git_signature_now(&signature, "cairn", "cairn@localhost"), "git_signature_now",
                                       subject: workdir)
                }
                defer { git_signature_free(signature) }
                var commitOID = git_oid()
                var parents: [OpaquePointer?] = [parentCommit]
                let code = parents.withUnsafeMutableBufferPointer { buffer in
                    git_commit_create(&commitOID, handle, nil, signature, signature, nil, message, tree,
                                      buffer.count, buffer.baseAddress)
                }
                try GitError.check(code, "git_commit_create", subject: workdir)
                return GitOID.hex(&commitOID)
            }
        }
    }

    /// Tracked files whose work-tree or staged content differs from HEAD (modified, deleted, renamed, type
    /// changes), repo-relative and sorted. Untracked files are not listed.
    public func changedTrackedFiles() throws -> [String] {
        try lock.withLock {
            var options = git_status_options()
            try GitError.check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)),
                               "git_status_options_init", subject: workdir)
            options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
            options.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
            var list: OpaquePointer?
            try GitError.check(git_status_list_new(&list, handle, &options), "git_status_list_new", subject: workdir)
            defer { git_status_list_free(list) }
            var paths = Set<String>()
            for position in 0..<git_status_list_entrycount(list) {
                guard let entry = git_status_byindex(list, position) else { continue }
                for delta in [entry.pointee.head_to_index, entry.pointee.index_to_workdir] {
                    guard let delta else { continue }
                    if let path = delta.pointee.old_file.path { paths.insert(String(cString: path)) }
                    if let path = delta.pointee.new_file.path { paths.insert(String(cString: path)) }
                }
            }
            return paths.sorted()
        }
    }

    /// The paths whose content differs between the trees of `old` and `new` (added, removed or modified),
    /// repo-relative and sorted: which files an experiment changed from its baseline.
    public func changedFiles(from old: String, to new: String) throws -> [String] {
        try lock.withLock {
            try withCommit(old) { oldCommit in
                try withCommit(new) { newCommit in
                    try withTree(of: oldCommit) { oldTree in
                        try withTree(of: newCommit) { newTree in
                            var diff: OpaquePointer?
                            try GitError.check(git_diff_tree_to_tree(&diff, handle, oldTree, newTree, nil),
                                               "git_diff_tree_to_tree", subject: workdir)
                            defer { git_diff_free(diff) }
                            var paths = Set<String>()
                            for position in 0..<git_diff_num_deltas(diff) {
                                guard let delta = git_diff_get_delta(diff, position) else { continue }
                                if let path = delta.pointee.old_file.path { paths.insert(String(cString: path)) }
                                if let path = delta.pointee.new_file.path { paths.insert(String(cString: path)) }
                            }
                            return paths.sorted()
                        }
                    }
                }
            }
        }
    }
}
