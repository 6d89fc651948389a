import ArgumentParser
import Workspace

/// The commits whose pointers a command also takes into account, on top of the work tree: gc keeps their data,
/// push/fetch/pull transfer it, `status --remote` checks it. The same flags as DVC's `-a`, `-T`, `-A`, `--rev`.
struct ScopeOptions: ParsableArguments {
    @Flag(help: "Also include what the tip of every local branch references.")
    var allBranches = false

    @Flag(help: "Also include what every tag references.")
    var allTags = false

    @Flag(help: "Also include what any commit reachable from a ref (or HEAD) references.")
    var allCommits = false

    @Option(name: .customLong("rev"), parsing: .upToNextOption, help: "Also include what these commits reference; a range A..B stands for every commit in it.")
    var revisions: [String] = []

    var scope: CommitScope {
        CommitScope(allBranches: allBranches, allTags: allTags, allCommits: allCommits, revisions: revisions)
    }

    /// The flags as typed (for hints that repeat the command with the same scope).
    var arguments: [String] {
        (allBranches ? ["--all-branches"] : []) + (allTags ? ["--all-tags"] : []) + (allCommits ? ["--all-commits"] : [])
            + revisions.flatMap { ["--rev", $0] }
    }

    /// Whether any flag beyond the work tree was given.
    var isEmpty: Bool { !allBranches && !allTags && !allCommits && revisions.isEmpty }
}
