import Basics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One running `ssh ... -s HOST sftp` child: its stdin (a socket, so a write to a dead ssh is EPIPE and not a
/// SIGPIPE that kills cairn), its stdout (also a socket) and its stderr (an unlinked temporary file, read only to explain
/// a failure; a file cannot fill up and block ssh the way an unread pipe would).
///
/// Used by one thread at a time (the pool hands a connection to one caller); `terminate()` reaps the process.
final class SSHProcess {
    let pid: pid_t
    private var input: Int32
    private var output: Int32
    private let errorLog: Int32
    private var reaped = false
    private(set) var exitDescription: String?

    /// Starts `arguments[0]` (an absolute path) with `arguments` and `environment`, without a shell.
    init(arguments: [String], environment: [String: String]) throws {
        // Sockets for both directions, created close-on-exec atomically: an ssh started by another thread at
        // the same moment must not inherit them (it would keep our stdout open after our ssh died).
        let stream = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        var inputPair: [Int32] = [-1, -1]
        var outputPair: [Int32] = [-1, -1]
        if socketpair(AF_UNIX, stream, 0, &inputPair) != 0 {
            throw CairnError.posix("socketpair", "ssh", errno: errno)
        }
        if socketpair(AF_UNIX, stream, 0, &outputPair) != 0 {
            let code = errno
            close(inputPair[0]); close(inputPair[1])
            throw CairnError.posix("socketpair", "ssh", errno: code)
        }
        let temporaryFolder = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let logPath = temporaryFolder + "/cairn-ssh-stderr-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let logFD = open(logPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if logFD < 0 {
            let code = errno
            for fd in inputPair + outputPair { close(fd) }
            throw CairnError.posix("create a temporary file for ssh's messages", logPath, errno: code)
        }
        unlink(logPath)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputPair[1], 0)
        posix_spawn_file_actions_adddup2(&actions, outputPair[1], 1)
        posix_spawn_file_actions_adddup2(&actions, logFD, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // cairn may ignore SIGPIPE or block signals; ssh must start with the defaults.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, arguments[0], &actions, &attributes, argv, envp)
        close(inputPair[1])
        close(outputPair[1])
        if result != 0 {
            close(inputPair[0]); close(outputPair[0]); close(logFD)
            throw CairnError.posix("start", arguments[0], errno: result)
        }
        pid = child
        input = inputPair[0]
        output = outputPair[0]
        errorLog = logFD
    }

    deinit {
        terminate()
        close(errorLog)
    }

    /// Writes all of `bytes` to ssh's stdin; false when ssh is gone (EPIPE, reset).
    func send(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.send(input, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    /// Reads what is available from ssh's stdout into `buffer` (blocking until something is); 0 at end of
    /// stream, i.e. when ssh has exited or closed the session.
    func receive(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            let n = Glibc.read(output, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            return 0
        }
    }

    /// The end of what ssh wrote to stderr so far, for messages. The end, because a server's login banner
    /// (sshd's Banner option) comes first and the reason ssh gave up comes last.
    func errorText() -> String {
        var st = stat()
        let size = fstat(errorLog, &st) == 0 ? Int(st.st_size) : 0
        let start = max(0, size - (16 << 10))
        var bytes = [UInt8](repeating: 0, count: size - start)
        let count = bytes.withUnsafeMutableBytes { pread(errorLog, $0.baseAddress, $0.count, off_t(start)) }
        return String(decoding: bytes.prefix(max(0, count)), as: UTF8.self)
    }

    /// Waits a moment for ssh to exit by itself (after it closed its stdout), then makes sure it is gone and
    /// reaped. Returns how it ended, e.g. "exit status 255".
    @discardableResult
    func finish(grace seconds: Double) -> String {
        if reaped { return exitDescription ?? "ended" }
        let deadline = FS.nowNs() + Int64(seconds * 1e9)
        while FS.nowNs() < deadline {
            if reap(options: WNOHANG) { return exitDescription ?? "ended" }
            usleep(5_000)
        }
        terminate()
        return exitDescription ?? "ended"
    }

    /// Ends the session: closing stdin lets ssh say goodbye; SIGTERM makes sure it does not linger.
    func terminate() {
        if input >= 0 { close(input); input = -1 }
        if !reaped {
            kill(pid, SIGTERM)
            _ = reap(options: 0)
        }
        if output >= 0 { close(output); output = -1 }
    }

    private func reap(options: Int32) -> Bool {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, options)
            if result == pid { break }
            if result == 0 { return false }
            if errno == EINTR { continue }
            reaped = true  // ECHILD: someone else reaped it; nothing left to wait for
            return true
        }
        reaped = true
        if status & 0x7f == 0 {
            exitDescription = "exit status \((status >> 8) & 0xff)"
        } else {
            exitDescription = "killed by signal \(status & 0x7f)"
        }
        return true
    }
}
