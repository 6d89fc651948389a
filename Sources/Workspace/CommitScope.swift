import Basics
import GitBridge

/// "Which commits": the scope flags gc, push, fetch, pull and `status --remote` share (`--all-branches`,
/// `--all-tags`, `--all-commits`, `--rev`). The work tree is always in scope on top of these.
public struct CommitScope: Sendable, Equatable {
    public var allBranches = false
    public var allTags = false
    public var allCommits = false
    public var revisions: [String] = []
    /// The experiment commits (refs/exps/…): gc keeps them unless told `--no-all-experiments`.
    public var allExperiments = false

    public init(allBranches: Bool = false, allTags: Bool = false, allCommits: Bool = false, revisions: [String] = [],
                allExperiments: Bool = false) {
        self.allBranches = allBranches
        self.allTags = allTags
        self.allCommits = allCommits
        self.revisions = revisions
        self.allExperiments = allExperiments
    }

    /// Only the work tree.
    public var isWorkTreeOnly: Bool { !allBranches && !allTags && !allCommits && revisions.isEmpty && !allExperiments }

    /// The commits of the scope. Everything is resolved before any tree is read, so a bad revision fails before
    /// any work. A range (`A..B`) stands for each of its commits, so every version it holds is taken, not only the
    /// tip.
    public func commits(in git: GitRepository) throws -> Set<String> {
        var commits = Set<String>()
        for revision in revisions {
            if let range = try RevisionRange.parse(revision) {
                commits.formUnion(try git.commits(in: range))
            } else {
                commits.insert(try git.resolve(revision).sha)
            }
        }
        if allBranches { for branch in try git.branches() { commits.insert(branch.sha) } }
        if allTags { for tag in try git.tags() { commits.insert(tag.sha) } }
        if allExperiments { for reference in try git.references(withPrefix: "refs/exps/") { commits.insert(reference.sha) } }
        if allCommits {
            var tips = try git.allRefCommits()
            if let head = try git.head() { tips.append(head.sha) }
            for sha in try git.commits(reachableFrom: tips) { commits.insert(sha) }
        }
        return commits
    }

    /// The data every pointer (and every output recorded in a lock file) in the scope's commits names, labelled
    /// "path at commit abc1234" (the work tree is not included). Shared by gc and by push/fetch/pull/status
    /// --remote, which take the same scopes; transfers pass `pushableOnly` to leave out `push: false` outputs.
    public func pointers(repo: CairnRepository, pushableOnly: Bool = false) throws -> [(label: String, id: ObjectID)] {
        let commits = try commits(in: repo.git).sorted()
        // Commits share most trees and pointer blobs: read each subtree once, decode each blob once.
        var seenBlobs = Set<String>()
        var found: [(label: String, id: ObjectID)] = []
        for (sha, path, blob) in try repo.git.files(inCommits: commits, withSuffix: PointerFile.suffix)
            where seenBlobs.insert(blob).inserted && Paths.basename(path).count > PointerFile.suffix.count {
            guard let bytes = try repo.git.readFile(at: sha, path: path) else { continue }
            // A pointer that cannot be read could name data to keep: refuse rather than guess.
            let tracked = try PointerScanner.decode(bytes, pointerPath: path, source: "\(path) at commit \(sha.prefix(7))")
            found.append(("\(tracked.dataPath) at commit \(sha.prefix(7))", tracked.pointer.id))
        }
        guard let recordName = TrackedDataProviders.current?.fileName else { return found }
        for (sha, path, blob) in try repo.git.files(inCommits: commits, withSuffix: recordName)
            where seenBlobs.insert(blob).inserted && Paths.basename(path) == recordName {
            // Same rule as pointers: a lock file that cannot be read is refused, never skipped.
            for tracked in try RecordedData.decode(git: repo.git, commitSha: sha, path: path) ?? []
            where tracked.push || !pushableOnly {
                found.append(("\(tracked.dataPath) at commit \(sha.prefix(7))", tracked.pointer.id))
            }
        }
        return found
    }
}
