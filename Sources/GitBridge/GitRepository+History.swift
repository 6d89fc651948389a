import Basics
import CGit2

/// Walking history: the commits behind a revision, optionally only those that changed one path.
extension GitRepository {
    /// Commits reachable from `revision`, newest first (time order, parents never before their children).
    /// With a `path`: only the commits in which the entry at `path` differs from the first parent's (added,
    /// changed or deleted; a root commit counts when the path exists in it). A merge is listed when it
    /// brings in a change relative to its first parent, so a change made on a side branch appears twice:
    /// once where it was made and once where it was merged. `limit` stops the walk after that many results.
    ///
    /// The entry may be a file or a directory (its tree id changes when anything below it does).
    public func history(path: String?, from revision: String = "HEAD", limit: Int? = nil) throws -> [CommitInfo] {
        if let limit, limit <= 0 { return [] }
        let wanted = path.map(GitRepository.normalized)
        return try lock.withLock {
            try withRevisionWalk(sorting: GIT_SORT_TIME.rawValue | GIT_SORT_TOPOLOGICAL.rawValue) { walk in
                var start = try withCommit(revision) { git_commit_id($0).pointee }
                try GitError.check(git_revwalk_push(walk, &start), "git_revwalk_push",
                                   subject: "\(workdir): revision '\(revision)'")
                var result: [CommitInfo] = []
                // Entry ids by commit: a commit's entry is looked up once, as child and again as parent.
                var entryIDs: [String: git_oid?] = [:]
                try forEachWalked(walk) { oid in
                    let sha = GitOID.hex(oid)
                    var oidCopy = oid.pointee
                    let info: CommitInfo? = try withCommitID(&oidCopy, sha: sha) { commit in
                        guard let wanted else { return CommitInfo(commit: commit) }
                        let own = try cachedEntryID(wanted, of: commit, sha: sha, cache: &entryIDs)
                        let parent = try withFirstParent(of: commit) { parent -> git_oid? in
                            guard let parent else { return nil }
                            let parentSha = GitOID.hex(git_commit_id(parent))
                            return try cachedEntryID(wanted, of: parent, sha: parentSha, cache: &entryIDs)
                        }
                        return GitOID.equal(own, parent) ? nil : CommitInfo(commit: commit)
                    }
                    if let info { result.append(info) }
                    return limit.map { result.count < $0 } ?? true
                }
                return result
            }
        }
    }

    private func cachedEntryID(_ path: String, of commit: OpaquePointer, sha: String,
                               cache: inout [String: git_oid?]) throws -> git_oid? {
        if let known = cache[sha] { return known }
        let id = try withTree(of: commit) { tree in try entry(at: path, in: tree)?.id }
        cache[sha] = id
        return id
    }

    /// Runs `body` with the commit whose id is `oid`.
    func withCommitID<T>(_ oid: inout git_oid, sha: String, _ body: (OpaquePointer) throws -> T) throws -> T {
        var found: OpaquePointer?
        try GitError.check(git_commit_lookup(&found, handle, &oid), "git_commit_lookup",
                           subject: "\(workdir): commit \(sha)")
        guard let commit = found else { throw CairnError.bug("git_commit_lookup returned no commit") }
        defer { git_commit_free(commit) }
        return try body(commit)
    }

    /// Runs `body` with a new revision walker sorted by `sorting` (GIT_SORT_* flags), freed afterwards.
    func withRevisionWalk<T>(sorting: UInt32, _ body: (OpaquePointer) throws -> T) throws -> T {
        var created: OpaquePointer?
        try GitError.check(git_revwalk_new(&created, handle), "git_revwalk_new", subject: workdir)
        guard let walk = created else { throw CairnError.bug("git_revwalk_new returned no walker") }
        defer { git_revwalk_free(walk) }
        try GitError.check(git_revwalk_sorting(walk, sorting), "git_revwalk_sorting", subject: workdir)
        return try body(walk)
    }

    /// Calls `visit` with each commit id the walk yields until it is exhausted or `visit` returns false.
    func forEachWalked(_ walk: OpaquePointer, _ visit: (UnsafePointer<git_oid>) throws -> Bool) throws {
        var oid = git_oid()
        while true {
            let code = git_revwalk_next(&oid, walk)
            if code == GIT_ITEROVER.rawValue { return }
            try GitError.check(code, "git_revwalk_next", subject: workdir)
            let keepGoing = try withUnsafePointer(to: &oid) { try visit($0) }
            if !keepGoing { return }
        }
    }
}

extension GitOID {
    /// Equal ids, or both absent.
    static func equal(_ a: git_oid?, _ b: git_oid?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (var left?, var right?): return git_oid_equal(&left, &right) != 0
        default: return false
        }
    }
}
