import Basics
import Workspace
#if canImport(Glibc)
import Glibc
#endif

/// The repository as `repro` holds it. Stage commands may run cairn themselves (`cairn get`, `cairn status`),
/// so repro never holds the repository lock while a command runs: it takes it (exclusive) for planning,
/// hashing, storing outputs and writing cairn.lock, and lets go of it before each command starts. While no
/// command runs (an up-to-date pipeline) one opening serves every stage, so a no-op repro opens the repository
/// once. `with` calls are serialised: one thread of this process at a time works on the repository.
final class ReproSession: @unchecked Sendable {
    private let open: () throws -> CairnRepository
    private let mutex = Mutex()
    private var current: (repo: CairnRepository, hasher: DataHasher)?
    private var running = 0
    /// Stage → RunEnvironment JSON of every stage whose commands ran, in the order they started (ReproResult).
    let environments = Locked<[(stage: String, json: String)]>([])

    init(open: @escaping () throws -> CairnRepository) { self.open = open }

    func with<T>(_ body: (CairnRepository, DataHasher) throws -> T) throws -> T {
        try mutex.withLock {
            if current == nil {
                let repo = try open()
                current = (repo, try DataHasher(repo: repo))
            }
            // With a command running, the lock must not outlive this step: that command may be waiting for it.
            defer { if running > 0 { closeLocked() } }
            return try body(current!.repo, current!.hasher)
        }
    }

    /// Releases the repository before a command starts. While commands run, cairn ignores Ctrl-C (SIGINT) as DVC
    /// does: the commands get it (they start with the default handler) and may clean up; their stages then fail
    /// with "killed by signal 2" and repro stops in order, instead of vanishing while it stores outputs.
    func commandStarting() {
        mutex.withLock {
            running += 1
            if running == 1 { previousInterrupt = signal(SIGINT, SIG_IGN) }
            closeLocked()
        }
    }

    func commandFinished() {
        mutex.withLock {
            running -= 1
            if running == 0, let previous = previousInterrupt { signal(SIGINT, previous); previousInterrupt = nil }
        }
    }

    private var previousInterrupt: sighandler_t?

    func close() { mutex.withLock { closeLocked() } }

    private func closeLocked() {
        current?.hasher.finish()
        current = nil
    }
}

/// The cairn.lock files of one repro, loaded once and written stage by stage. Writing a lock also drops the
/// entries of stages that are no longer in its cairn.yaml (DVC keeps them forever, #5293).
final class LockBook: @unchecked Sendable {
    private let root: String
    private let mutex = Mutex()
    private var locks: [String: PipelineLock] = [:]

    init(root: String) { self.root = root }

    func lock(_ lockPath: String) throws -> PipelineLock {
        try mutex.withLock {
            if let lock = locks[lockPath] { return lock }
            let lock = try PipelineLockCodec.load(root: root, lockPath: lockPath) ?? PipelineLock()
            locks[lockPath] = lock
            return lock
        }
    }

    func entry(for id: StageID) throws -> LockedStage? { try lock(id.lockPath).stages[id.name] }

    /// Records `entry` and writes the lock atomically.
    func record(_ entry: LockedStage, for id: StageID, pipeline: PipelineFile) throws {
        var lock = try self.lock(id.lockPath)
        lock.stages[id.name] = entry
        let defined = Set(pipeline.stages.map(\.name))
        for name in lock.stages.keys where !defined.contains(name) { lock.stages[name] = nil }
        CrashPoint.reproBeforeLockWrite.reached()
        try PipelineLockCodec.write(lock, root: root, lockPath: id.lockPath)
        mutex.withLock { locks[id.lockPath] = lock }
    }
}
