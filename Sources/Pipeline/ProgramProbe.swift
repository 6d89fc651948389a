import Basics
#if canImport(Glibc)
import Glibc
#endif

@_silgen_name("pipe2")
private func probePipe(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32

/// Asks a program about itself (`python3 --version`) for RunEnvironment: no shell, stdin from /dev/null, stdout and
/// stderr read together and capped, killed after `timeout` seconds, so a program that does not know `--version`
/// (and waits for input or starts working) costs at most that. Answers are kept per program file (path, size,
/// mtime) for the life of the process: a repro with many stages of one program asks once.
enum ProgramProbe {
    static let outputLimit = 256 * 1024
    private static let answers = Locked<[String: String?]>([:])

    /// The combined output of `path arguments...`, or nil when it could not start, timed out, failed (non-zero exit
    /// or a signal) or wrote nothing.
    static func output(_ path: String, _ arguments: [String], environment: [String: String],
                       timeout: Double = 3) -> String? {
        let stat = (try? FS.stat(path)) ?? nil
        let key = "\(path)\u{0}\(stat?.size ?? 0)\u{0}\(stat?.mtimeNs ?? 0)\u{0}" + arguments.joined(separator: "\u{0}")
        if let known = answers.withLock({ $0[key] }) { return known }
        let answer = run(path, arguments, environment: environment, timeout: timeout)
        answers.withLock { $0[key] = answer }
        return answer
    }

    private static func run(_ path: String, _ arguments: [String], environment: [String: String],
                            timeout: Double) -> String? {
        var fds: [Int32] = [-1, -1]
        guard probePipe(&fds, O_CLOEXEC) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var child: pid_t = 0
        let started = posix_spawn(&child, path, &actions, nil, argv, envp)
        close(fds[1])
        defer { close(fds[0]) }
        guard started == 0 else { return nil }

        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        let deadline = FS.nowNs() + Int64(timeout * 1e9)
        var timedOut = false
        while true {
            let left = deadline - FS.nowNs()
            if left <= 0 { timedOut = true; break }
            var poller = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(left / 1_000_000 + 1, 1000)))
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }
            let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            if output.count < outputLimit { output += buffer[0..<min(n, outputLimit - output.count)] }
        }
        if timedOut { kill(child, SIGKILL) }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        // A program that does not know the question says so and fails (mawk: "not an option: --version"): no answer.
        if timedOut || status & 0x7f != 0 || (status >> 8) & 0xff != 0 { return nil }
        let text = String(decoding: output, as: UTF8.self)
        return text.isEmpty ? nil : text
    }

    /// The first non-empty line of `output`, trimmed and at most 200 characters.
    static func firstLine(_ output: String?) -> String? {
        guard let output else { return nil }
        for line in output.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let trimmed = String(line).trimmingSpaces
            if !trimmed.isEmpty { return String(trimmed.prefix(200)) }
        }
        return nil
    }
}
