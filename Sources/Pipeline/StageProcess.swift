import Basics
#if canImport(Glibc)
import Glibc
#endif

/// Where a stage's output goes: `nil` prefix means the command writes straight to cairn's stdout and stderr
/// (a terminal stays a terminal: colours, progress bars); with a prefix every line is read back and handed to
/// `line` as `[stage] text`, so the output of stages running at the same time stays readable.
public struct StageOutputRouting: Sendable {
    public var prefix: String?
    /// (isStandardError, text without the newline). Called from reader threads; must be thread-safe.
    public var line: @Sendable (Bool, String) -> Void
}

// glibc has both (2.29+ and 2.9+), but its headers show them only with _GNU_SOURCE, which Swift's Glibc lacks.
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func spawnActionsAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32
@_silgen_name("pipe2")
private func pipeWithFlags(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32

/// Runs one command of a stage: `/bin/sh -c COMMAND` in the stage's wdir, with cairn's environment plus
/// CAIRN_ROOT and CAIRN_STAGE (DVC's DVC_ROOT / DVC_STAGE), as DVC runs each command in a fresh shell.
enum StageProcess {
    enum Outcome: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)

        var succeeded: Bool { self == .exited(0) }
        var description: String {
            switch self {
            case .exited(let code): return "exited with \(code)"
            case .signalled(let signal): return "killed by signal \(signal)"
            }
        }
    }

    static func run(_ command: String, directory: String, environment: [String: String],
                    routing: StageOutputRouting) throws -> Outcome {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        _ = spawnActionsAddChdir(&actions, directory)
        var pipes: [(read: Int32, write: Int32)] = []
        if routing.prefix != nil {
            for target in [Int32(1), 2] {
                var fds: [Int32] = [-1, -1]
                // Close-on-exec, so a stage started at the same moment by another thread does not inherit our end.
                guard pipeWithFlags(&fds, O_CLOEXEC) == 0 else { throw CairnError.posix("pipe", command, errno: errno) }
                posix_spawn_file_actions_adddup2(&actions, fds[1], target)
                pipes.append((fds[0], fds[1]))
            }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let arguments: [String] = ["/bin/sh", "-c", command]
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, "/bin/sh", &actions, &attributes, argv, envp)
        for p in pipes { close(p.write) }
        if result != 0 {
            for p in pipes { close(p.read) }
            throw CairnError.posix("start /bin/sh in", directory, errno: result)
        }
        var readers: [Thread] = []
        for (index, p) in pipes.enumerated() {
            readers.append(Thread(fd: p.read, isError: index == 1, routing: routing))
        }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        for reader in readers { reader.join() }
        if status & 0x7f == 0 { return .exited((status >> 8) & 0xff) }
        return .signalled(status & 0x7f)
    }

    /// Reads one pipe to its end on its own thread, handing over whole lines (a last line without a newline too).
    private final class Thread: @unchecked Sendable {
        private var thread = pthread_t()

        init(fd: Int32, isError: Bool, routing: StageOutputRouting) {
            let box = Unmanaged.passRetained(Reader(fd: fd, isError: isError, routing: routing))
            pthread_create(&thread, nil, { raw in
                let reader = Unmanaged<Reader>.fromOpaque(raw!).takeRetainedValue()
                reader.run()
                return nil
            }, box.toOpaque())
        }

        func join() { pthread_join(thread, nil) }
    }

    private final class Reader: @unchecked Sendable {
        let fd: Int32, isError: Bool, routing: StageOutputRouting
        init(fd: Int32, isError: Bool, routing: StageOutputRouting) { self.fd = fd; self.isError = isError; self.routing = routing }

        func run() {
            defer { close(fd) }
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                pending += buffer[0..<n]
                while let newline = pending.firstIndex(of: 10) {
                    emit(pending[..<newline])
                    pending.removeSubrange(...newline)
                }
            }
            if !pending.isEmpty { emit(pending[...]) }
        }

        private func emit(_ bytes: ArraySlice<UInt8>) {
            routing.line(isError, (routing.prefix ?? "") + String(decoding: bytes, as: UTF8.self))
        }
    }

    /// cairn's own environment, to pass on to stage commands.
    static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") { result[String(text[..<eq])] = String(text[text.index(after: eq)...]) }
            pointer += 1
        }
        return result
    }
}
