/// "Which commits": the scope flags gc, push, fetch, pull and `status --remote` share (`--all-branches`,
/// `--all-tags`, `--all-commits`, `--rev`). The work tree is always in scope on top of these.
public struct CommitScope: Sendable, Equatable {
    public var allBranches = false
    public var allTags = false
    public var allCommits = false
    public var revisions: [String] = []

    public init(allBranches: Bool = false, allTags: Bool = false, allCommits: Bool = false, revisions: [String] = []) {
        self.allBranches = allBranches
        self.allTags = allTags
        self.allCommits = allCommits
        self.revisions = revisions
    }

    /// Only the work tree.
    public var isWorkTreeOnly: Bool { !allBranches && !allTags && !allCommits && revisions.isEmpty }
}
