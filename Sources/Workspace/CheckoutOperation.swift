import Basics
import ObjectStore
#if canImport(Glibc)
import Glibc
#endif

/// `cairn checkout`: makes the work tree match the pointers, writing only what differs and never destroying
/// content the cache does not hold unless forced.
public enum CheckoutOperation {
    public struct Result: Sendable {
        public var changedTargets: [String]
        public var filesWritten: Int
        public var filesUnchanged: Int
        public var filesRemoved: Int
    }

    /// With `unreadable`, a pointer that cannot be loaded is handed to it and the others are still checked out.
    public static func run(repo: CairnRepository, arguments: [String], cwd: String, force: Bool,
                           unreadable: ((CairnError) -> Void)? = nil) throws -> Result {
        let targets = try TargetResolver.trackedTargets(arguments, cwd: cwd, root: repo.root, unreadable: unreadable)
        return try run(repo: repo, targets: targets, force: force)
    }

    /// Checks out already-loaded pointers: those of the work tree, or those read from a commit
    /// (`checkout --rev`, which writes the data as it was there and leaves the pointer files alone).
    public static func run(repo: CairnRepository, targets: [TrackedData], force: Bool) throws -> Result {
        let identifier = try repo.makeFileIdentifier()
        defer { identifier.save() }
        var plan = CheckoutPlan()
        for target in targets {
            // A `push: false` output never reaches a remote, so a clone without it cannot fetch it: say so and
            // check out the rest, rather than fail with a `cairn pull` hint that cannot work.
            if !target.push, try !AddOperation.hasData(of: target.pointer, repo: repo) {
                Diagnostics.warning("\(target.dataPath): not checked out: an output of stage \(target.stage ?? "?") marked"
                    + " `push: false` that is not in this cache (no remote has it); `cairn repro` makes it")
                continue
            }
            try plan.add(target, repo: repo, identifier: identifier, force: force)
        }
        if !plan.conflicts.isEmpty {
            let list = plan.conflicts.sorted().map { "    " + $0 }.joined(separator: "\n")
            throw CairnError("checkout would overwrite local changes that are not in the cache:\n\(list)\n"
                + "use --force to discard them")
        }
        try execute(plan, repo: repo, identifier: identifier)
        return Result(changedTargets: plan.changedTargets, filesWritten: plan.writes.count,
                      filesUnchanged: plan.unchangedFiles, filesRemoved: plan.removals.count)
    }

    static func execute(_ plan: CheckoutPlan, repo: CairnRepository, identifier: FileIdentifier) throws {
        try plan.checkEveryPathIsSafe()
        for path in plan.removals { try FS.removeTree(repo.absolute(path)) }
        for dir in plan.prunable.sorted(by: { $0.count > $1.count }) { FS.removeEmptyDirectory(repo.absolute(dir)) }
        var parents = Set(plan.directories.map(PathKey.init))   // by bytes: twin directories are two
        for write in plan.writes { parents.insert(PathKey(Paths.parent(write.path))) }
        for dir in parents.sorted() where !dir.path.isEmpty { try FS.makeDirectories(repo.absolute(dir.path)) }

        let total = plan.writes.reduce(Int64(0)) { $0 + Int64($1.size) }
        let progress = Progress("checking out", total: total, unit: .bytes, keepsFinalLine: true)
        let writes = plan.writes
        let store = repo.store
        // One unreadable object must not stop the other files: collect failures and report them together.
        let failures = Locked([String]())
        try Parallel.forEach(writes.count) { i in
            let write = writes[i]
            let abs = repo.absolute(write.path)
            do { try store.materialize(write.id, to: abs, executable: write.executable,
                                      temporaryDirectory: Paths.join(repo.dotCairn, "tmp")) } catch {
                failures.withLock { $0.append("\(write.path): \(error)") }
                return
            }
            CrashPoint.midCheckout.reached()
            // Remember what was written, so the next status need not read it back.
            let observed = FS.nowNs()
            if let st = try FS.lstat(abs) { identifier.remember(write.path, stat: st, id: write.id, observedNs: observed) }
            progress.advance(by: Int64(write.size))
        }
        progress.finish()
        let failed = failures.snapshot.sorted()
        if failed.count == 1 { throw CairnError(failed[0]) }
        if failed.count > 1 {
            throw CairnError("\(Counted.of(failed.count, "file")) could not be checked out:\n" + failed.map { "    " + $0 }.joined(separator: "\n"))
        }
        for fix in plan.modeFixes {
            let abs = repo.absolute(fix.path)
            guard let st = try FS.lstat(abs) else { continue }
            let mode = (st.mode & 0o777 & ~0o111) | (fix.executable ? 0o111 & ((st.mode & 0o444) >> 2) : 0)
            try FS.chmod(abs, mode_t(mode))
        }
    }
}
