import Basics
import Pipeline
#if canImport(Glibc)
import Glibc
#endif

@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func spawnActionsAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32

/// `exp run --run-all -j N`: each queued experiment runs in its own cairn process (`cairn exp run-queued NAME`),
/// up to N at once. Processes, not threads: a crash or a Ctrl-C in one experiment's stage cannot take the others
/// down, and each has its own signal handling and repository sessions. Output goes to one log per experiment.
public enum ExperimentWorkers {
    public struct Finished: Sendable {
        public var name: String
        public var exitCode: Int32
        public var log: String
    }

    /// Runs `executable exp run-queued NAME` for every name, `jobs` at a time, in `cwd`; `finished` is called as
    /// each ends (on this thread).
    public static func run(names: [String], jobs: Int, executable: String, cwd: String, logDirectory: String,
                           stageJobs: Int, finished: (Finished) -> Void) throws {
        try FS.makeDirectories(logDirectory)
        // Ctrl-C reaches the workers too (one process group): each stops its stages, removes its worktree and
        // leaves its experiment queued. This process only stops starting new ones and waits for them.
        ReproduceInterrupt.install()
        defer { ReproduceInterrupt.restore() }
        var pending = names[...]
        var running: [pid_t: (name: String, log: String)] = [:]
        while !pending.isEmpty || !running.isEmpty {
            if ReproduceInterrupt.happened { pending = [] }
            while running.count < max(1, jobs), let name = pending.popFirst() {
                let log = Paths.join(logDirectory, name + ".log")
                let pid = try spawn(executable, ["exp", "run-queued", name, "-j", String(stageJobs)], cwd: cwd, log: log)
                running[pid] = (name, log)
            }
            var status: Int32 = 0
            let pid = waitpid(-1, &status, 0)
            if pid < 0 {
                if errno == EINTR { continue }
                throw CairnError.posix("wait for", "experiment processes", errno: errno)
            }
            guard let done = running.removeValue(forKey: pid) else { continue }
            let code: Int32 = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            finished(Finished(name: done.name, exitCode: code, log: done.log))
        }
        if ReproduceInterrupt.happened { throw CairnError("interrupted (Ctrl-C); unfinished experiments stay queued") }
    }

    /// The running cairn binary, so children are the same version.
    public static var currentExecutable: String { FS.realPath("/proc/self/exe") ?? CommandLine.arguments[0] }

    private static func spawn(_ executable: String, _ arguments: [String], cwd: String, log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        _ = spawnActionsAddChdir(&actions, cwd)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, nil, argv, environ)
        if result != 0 { throw CairnError.posix("start", executable, errno: result) }
        return child
    }
}
