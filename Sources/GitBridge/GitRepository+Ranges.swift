import Basics
import CGit2

/// A revision range in git's two-dot syntax: `A..B` is every commit reachable from B and not from A (what
/// `git log A..B` lists). An empty side means HEAD, as in git (`A..` is `A..HEAD`).
public struct RevisionRange: Sendable, Equatable {
    public var excluded: String
    public var included: String

    public init(excluded: String, included: String) {
        self.excluded = excluded
        self.included = included
    }

    /// The range `revision` spells, or nil when it is a single revision. The three-dot form is refused:
    /// its meaning (the symmetric difference) is rarely what a transfer wants and easy to confuse with `..`.
    public static func parse(_ revision: String) throws -> RevisionRange? {
        if revision.contains("...") {
            throw CairnError("revision '\(revision)': the three-dot range A...B is not supported; "
                             + "use A..B (the commits reachable from B and not from A)")
        }
        guard let dots = revision.range(of: "..") else { return nil }
        let left = String(revision[..<dots.lowerBound])
        let right = String(revision[dots.upperBound...])
        if right.contains("..") {
            throw CairnError("revision '\(revision)': a range has one '..' (A..B)")
        }
        return RevisionRange(excluded: left.isEmpty ? "HEAD" : left, included: right.isEmpty ? "HEAD" : right)
    }
}

/// Walking sets of commits: ranges (`cairn push --rev A..B`) and what a pre-push hook sends (the commits of the
/// pushed refs that the remote does not have yet).
extension GitRepository {
    /// The commits of `range`, sorted by sha. Both ends must name commits.
    public func commits(in range: RevisionRange) throws -> [String] {
        try commits(reachableFrom: [range.included], notReachableFrom: [range.excluded])
    }

    /// Commits reachable from any of `tips` and from none of `hidden` (each in git's syntax), sorted by sha.
    /// With `ignoringUnknownHidden`, a hidden revision this repository does not have is left out instead of
    /// failing: a pre-push hook's remote sha may be a commit someone else pushed that was never fetched here.
    public func commits(reachableFrom tips: [String], notReachableFrom hidden: [String],
                        ignoringUnknownHidden: Bool = false) throws -> [String] {
        if tips.isEmpty { return [] }
        return try lock.withLock {
            try withRevisionWalk(sorting: GIT_SORT_NONE.rawValue) { walk in
                for revision in tips {
                    var oid = try withCommit(revision) { git_commit_id($0).pointee }
                    try GitError.check(git_revwalk_push(walk, &oid), "git_revwalk_push",
                                       subject: "\(workdir): revision '\(revision)'")
                }
                for revision in hidden {
                    let found: git_oid?
                    do { found = try withCommit(revision) { git_commit_id($0).pointee } } catch {
                        if ignoringUnknownHidden { continue }
                        throw error
                    }
                    guard var oid = found else { continue }
                    try GitError.check(git_revwalk_hide(walk, &oid), "git_revwalk_hide",
                                       subject: "\(workdir): revision '\(revision)'")
                }
                var shas: [String] = []
                try forEachWalked(walk) { oid in shas.append(GitOID.hex(oid)); return true }
                return shas.sorted()
            }
        }
    }

    /// The commits at the tips of the remote-tracking branches of `remote` (`refs/remotes/<remote>/*`), sorted
    /// and without duplicates: what this repository last saw on that remote. Empty for a name that is no
    /// configured remote (git passes a URL to pre-push when the push names no remote).
    public func remoteTrackingCommits(remote: String) throws -> [String] {
        let prefix = "refs/remotes/\(remote)/"
        return try lock.withLock {
            var tips = Set<String>()
            for reference in try referenceNames() where reference.hasPrefix(prefix) {
                if let sha = try peeledCommit(ofReference: reference) { tips.insert(sha) }
            }
            return tips.sorted()
        }
    }
}
