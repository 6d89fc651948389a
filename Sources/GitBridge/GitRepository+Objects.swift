import Basics
import CGit2

/// Scoped access to libgit2 objects: every helper frees what it looked up when `body` returns or throws,
/// so callers never hold a raw handle past its owner (the SwiftGit2 `withGitObject` idea). All of them
/// expect `lock` to be held by the public method that called them.
extension GitRepository {
    /// Runs `body` with the commit `revision` names. A full 40-hex sha is looked up directly (the common
    /// case when walking history); anything else goes through git's revision syntax (`resolveToCommit`).
    func withCommit<T>(_ revision: String, _ body: (OpaquePointer) throws -> T) throws -> T {
        if var oid = GitOID.parse(revision) {
            var found: OpaquePointer?
            let code = git_commit_lookup(&found, handle, &oid)
            // Not found may also mean "not a commit" (an annotated tag's own id): revparse peels those.
            if code != GitError.notFound {
                try GitError.check(code, "git_commit_lookup", subject: "\(workdir): commit \(revision)")
                guard let commit = found else { throw CairnError.bug("git_commit_lookup returned no commit") }
                defer { git_commit_free(commit) }
                return try body(commit)
            }
        }
        let commit = try resolveToCommit(revision)
        defer { git_commit_free(commit) }
        return try body(commit)
    }

    /// `revision` in git's syntax (short sha, branch, tag, `HEAD~2`, `v1^{commit}`, ...), peeled to a commit
    /// (an annotated tag names its tag object first). The caller frees the result.
    private func resolveToCommit(_ revision: String) throws -> OpaquePointer {
        var object: OpaquePointer?
        let code = git_revparse_single(&object, handle, revision)
        switch code {
        case 0:
            break
        case GIT_ENOTFOUND.rawValue, GIT_EINVALIDSPEC.rawValue, GIT_EUNBORNBRANCH.rawValue:
            git_object_free(object)
            // An experiment's name is a revision everywhere (refs/exps/<baseline>/<name>, see ExperimentRefs).
            if let reference = try experimentReference(named: revision) { return try resolveToCommit(reference) }
            throw unknownRevision(revision)
        case GIT_EAMBIGUOUS.rawValue:
            git_object_free(object)
            throw CairnError("ambiguous revision '\(revision)': several objects start with it; give more digits")
        default:
            git_object_free(object)
            throw GitError.error(code, call: "git_revparse_single", subject: "\(workdir): revision '\(revision)'")
        }
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        let peelCode = git_object_peel(&peeled, object, GIT_OBJECT_COMMIT)
        guard peelCode == 0, let commit = peeled else {
            git_object_free(peeled)
            // HEAD:file names a blob, a tag may point at a tree: real objects, but no commit.
            if peelCode == GIT_EINVALIDSPEC.rawValue || peelCode == GIT_ENOTFOUND.rawValue
                || peelCode == GIT_EPEEL.rawValue {
                throw CairnError("revision '\(revision)' does not name a commit")
            }
            throw GitError.error(peelCode, call: "git_object_peel", subject: "\(workdir): revision '\(revision)'")
        }
        return commit
    }

    /// The full name of the experiment reference whose last component is `name`, or nil. Two experiments of the
    /// same name (pulled from two teammates) are ambiguous: the error lists their full names.
    func experimentReference(named name: String) throws -> String? {
        guard !name.isEmpty, !name.contains("/"), !name.contains("~"), !name.contains("^"), !name.contains(":") else {
            return nil
        }
        let matches = try referenceNames().filter { $0.hasPrefix("refs/exps/") && $0.hasSuffix("/" + name) }
        if matches.count > 1 {
            throw CairnError("ambiguous experiment name '\(name)': " + matches.sorted().joined(separator: ", ")
                + " (use the full reference name)")
        }
        return matches.first
    }

    func unknownRevision(_ revision: String) -> CairnError {
        CairnError("unknown revision '\(revision)'")
    }

    /// Runs `body` with the root tree of `commit` (a `git_commit` the caller owns).
    func withTree<T>(of commit: OpaquePointer, _ body: (OpaquePointer) throws -> T) throws -> T {
        var found: OpaquePointer?
        let sha = GitOID.hex(git_commit_id(commit))
        try GitError.check(git_commit_tree(&found, commit), "git_commit_tree", subject: "\(workdir): commit \(sha)")
        guard let tree = found else { throw CairnError.bug("git_commit_tree returned no tree") }
        defer { git_tree_free(tree) }
        return try body(tree)
    }

    /// Runs `body` with the first parent of `commit`, or with nil for a root commit.
    func withFirstParent<T>(of commit: OpaquePointer, _ body: (OpaquePointer?) throws -> T) throws -> T {
        if git_commit_parentcount(commit) == 0 { return try body(nil) }
        var found: OpaquePointer?
        let sha = GitOID.hex(git_commit_id(commit))
        try GitError.check(git_commit_parent(&found, commit, 0), "git_commit_parent",
                           subject: "\(workdir): first parent of commit \(sha)")
        defer { git_commit_free(found) }
        return try body(found)
    }

    /// The id of the entry at `path` in `tree` and its type, or nil when nothing is there.
    func entry(at path: String, in tree: OpaquePointer) throws -> (id: git_oid, type: git_object_t)? {
        let normalized = GitRepository.normalized(path)
        if normalized.isEmpty { return nil }
        var found: OpaquePointer?
        let code = git_tree_entry_bypath(&found, tree, normalized)
        if code == GitError.notFound { return nil }
        try GitError.check(code, "git_tree_entry_bypath", subject: "\(workdir): \(normalized)")
        guard let entry = found else { return nil }
        defer { git_tree_entry_free(entry) }
        guard let id = git_tree_entry_id(entry) else { return nil }
        return (id.pointee, git_tree_entry_type(entry))
    }

    /// The blob id at `path` in `commit`'s tree; nil when absent or not a file (a directory, a submodule).
    func blobOID(at path: String, in commit: OpaquePointer) throws -> git_oid? {
        try withTree(of: commit) { tree in
            guard let found = try entry(at: path, in: tree), found.type == GIT_OBJECT_BLOB else { return nil }
            return found.id
        }
    }
}
