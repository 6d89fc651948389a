import Basics
import Remotes
import Workspace

/// `cairn pull`: fetch the selected data, then check out the work tree's pointers. One implementation for the
/// command and the demo, so what the demo shows is what users run.
public enum PullOperation {
    /// `afterFetch` sees the fetch's result before anything is written to the work tree; it may throw to stop
    /// the pull there (the command does when data is damaged on the remote or missing everywhere).
    public static func run(repo: CairnRepository, remote: any Remote, selection: TransferTargets.Selection,
                           jobs: Int, force: Bool, progressEnabled: Bool = true,
                           afterFetch: (FetchOperation.Result) throws -> Void) throws -> CheckoutOperation.Result {
        // Manifests are staged, not proven, by the fetch: the checkout proves those of the files it writes by
        // hashing what it writes (one read of each large file instead of two).
        let fetched = try FetchOperation.run(repo: repo, remote: remote, targets: selection.targets, jobs: jobs,
                                             stageManifests: true, progressEnabled: progressEnabled)
        try afterFetch(fetched)
        // The rest are proven after it, and whatever was proven is kept even if the checkout fails.
        let checkout = Swift.Result { try CheckoutOperation.run(repo: repo, targets: selection.workspace, force: force) }
        PhaseTimer.mark("checkout")
        let damaged = try repo.store.proveStagedManifests()
        try repo.store.commit()
        if let first = damaged.first {
            throw CairnError(damaged.count == 1 ? first : "\(Counted.of(damaged.count, "object")) fail verification (first: \(first))")
        }
        return try checkout.get()
    }
}
