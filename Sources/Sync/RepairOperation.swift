import Basics
import Workspace
import ObjectStore
import Remotes

/// `cairn fsck --repair`: makes the cache whole again. Packs holding a record that fails verification are
/// moved to quarantine after their good records are copied out (the store never deletes a damaged pack), then
/// everything the selected data needs that the cache now lacks (the damaged objects, and anything missing) is
/// fetched from the remote and verified like any fetch. Packs without a usable index were already handled when
/// the repository was opened with the exclusive lock (index rebuilt, or pack quarantined).
public enum RepairOperation {
    public struct Result: Sendable {
        /// What the check found before repairing.
        public var before: IntegrityCheck.Report
        /// What the check finds afterwards: the problems that remain.
        public var after: IntegrityCheck.Report
        /// One line per pack moved to quarantine.
        public var quarantined: [String]
        /// The fetch from the remote, when there was one and something to repair.
        public var fetch: FetchOperation.Result?
    }

    /// `remote` nil repairs only what can be repaired locally (quarantine); the report then says what remains.
    public static func run(repo: CairnRepository, arguments: [String], cwd: String, remote: (any Remote)?,
                           jobs: Int) throws -> Result {
        let before = try IntegrityCheck.run(repo: repo, arguments: arguments, cwd: cwd)
        if before.problems.isEmpty { return Result(before: before, after: before, quarantined: [], fetch: nil) }
        let corrupt = Set(before.problems.filter { $0.problem == "corrupt" }.compactMap { ObjectID(prefixed: $0.object) })
        let quarantined = try repo.store.quarantinePacks(holding: corrupt)
        var fetched: FetchOperation.Result?
        if let remote {
            let selection = try TransferTargets.select(repo: repo, arguments: arguments, cwd: cwd,
                                                       scope: GarbageCollector.Scope())
            // The check just verified every local copy: no need to read them all again.
            fetched = try FetchOperation.run(repo: repo, remote: remote, targets: selection.targets, jobs: jobs,
                                             verifyLocal: false)
        }
        let after = try IntegrityCheck.run(repo: repo, arguments: arguments, cwd: cwd)
        return Result(before: before, after: after, quarantined: quarantined, fetch: fetched)
    }
}
