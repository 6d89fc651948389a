import Basics
import CGit2

/// Naming commits: revisions, HEAD, branches, tags, and the tips of every ref.
extension GitRepository {
    /// The commit `revision` names, in git's syntax: full or short sha, branch, tag (lightweight or annotated),
    /// `HEAD`, `HEAD~N`, `REV^`, `REV^2`, `@{-1}` ... Throws "unknown revision '<rev>'" when nothing matches.
    public func resolve(_ revision: String) throws -> CommitInfo {
        try lock.withLock { try withCommit(revision) { CommitInfo(commit: $0) } }
    }

    /// The commit HEAD points at, or nil on an unborn branch (a fresh repository before its first commit).
    public func head() throws -> CommitInfo? {
        try lock.withLock {
            let unborn = git_repository_head_unborn(handle)
            try GitError.check(unborn, "git_repository_head_unborn", subject: "\(gitDir)/HEAD")
            if unborn == 1 { return nil }
            return try withCommit("HEAD") { CommitInfo(commit: $0) }
        }
    }

    /// Local branches, sorted by name, each with the sha of the commit at its tip.
    public func branches() throws -> [(name: String, sha: String)] {
        try lock.withLock {
            try referenceNames().compactMap { reference in
                guard reference.hasPrefix("refs/heads/") else { return nil }
                guard let sha = try peeledCommit(ofReference: reference) else { return nil }
                return (String(reference.dropFirst("refs/heads/".count)), sha)
            }.sorted { $0.name < $1.name }
        }
    }

    /// Tags, sorted by name, each peeled to the commit it finally names (annotated tags included). Tags of
    /// trees or blobs are left out: they carry no tracked data.
    public func tags() throws -> [(name: String, sha: String)] {
        try lock.withLock {
            try referenceNames().compactMap { reference in
                guard reference.hasPrefix("refs/tags/") else { return nil }
                guard let sha = try peeledCommit(ofReference: reference) else { return nil }
                return (String(reference.dropFirst("refs/tags/".count)), sha)
            }.sorted { $0.name < $1.name }
        }
    }

    /// The commits at the tips of all refs (branches, tags, remote-tracking branches, stash, ...) and a
    /// detached HEAD, sorted and without duplicates. The keep-set of `gc --all-commits` starts here.
    public func allRefCommits() throws -> [String] {
        try lock.withLock {
            var tips = Set<String>()
            for reference in try referenceNames() {
                if let sha = try peeledCommit(ofReference: reference) { tips.insert(sha) }
            }
            // A detached HEAD is no ref in refs/, but its commit must count as reachable.
            if git_repository_head_detached(handle) == 1, let sha = try peeledCommit(ofReference: "HEAD") {
                tips.insert(sha)
            }
            return tips.sorted()
        }
    }

    /// Every commit reachable from any of `revisions` (each in git's syntax), sorted by sha.
    public func commits(reachableFrom revisions: [String]) throws -> [String] {
        if revisions.isEmpty { return [] }
        return try lock.withLock {
            try withRevisionWalk(sorting: GIT_SORT_NONE.rawValue) { walk in
                for revision in revisions {
                    var oid = try withCommit(revision) { git_commit_id($0).pointee }
                    try GitError.check(git_revwalk_push(walk, &oid), "git_revwalk_push",
                                       subject: "\(workdir): revision '\(revision)'")
                }
                var shas: [String] = []
                try forEachWalked(walk) { oid in shas.append(GitOID.hex(oid)) ; return true }
                return shas.sorted()
            }
        }
    }

    /// Full names of all references (refs/heads/..., refs/tags/..., refs/remotes/...).
    func referenceNames() throws -> [String] {
        var list = git_strarray()
        try GitError.check(git_reference_list(&list, handle), "git_reference_list", subject: "\(commonGitDir)/refs")
        defer { git_strarray_dispose(&list) }
        var names: [String] = []
        names.reserveCapacity(list.count)
        for index in 0..<list.count {
            if let name = list.strings[index] { names.append(String(cString: name)) }
        }
        return names
    }

    /// The commit `reference` finally points at, or nil when it points at no commit (a tag of a blob, a
    /// symbolic ref whose target is gone): such refs name no data to keep or show.
    func peeledCommit(ofReference name: String) throws -> String? {
        var found: OpaquePointer?
        let code = git_reference_lookup(&found, handle, name)
        if code == GitError.notFound { return nil }
        try GitError.check(code, "git_reference_lookup", subject: "\(workdir): ref \(name)")
        defer { git_reference_free(found) }
        var peeled: OpaquePointer?
        let peelCode = git_reference_peel(&peeled, found, GIT_OBJECT_COMMIT)
        defer { git_object_free(peeled) }
        if peelCode == GitError.notFound || peelCode == GIT_EPEEL.rawValue || peelCode == GIT_EINVALIDSPEC.rawValue {
            return nil
        }
        try GitError.check(peelCode, "git_reference_peel", subject: "\(workdir): ref \(name)")
        return GitOID.hex(git_object_id(peeled))
    }
}
