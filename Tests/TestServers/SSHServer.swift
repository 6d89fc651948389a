import Basics
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway OpenSSH server on 127.0.0.1 for SFTP tests: its own host key, a user key in authorized_keys,
/// known_hosts files (right, wrong and empty) and folders for remotes, all in one temporary folder that is
/// removed by `stop()`.
///
/// It listens on two ports: `port` serves SFTP normally, `readOnlyPort` forces a read-only SFTP server
/// (`internal-sftp -R`), which refuses writes even to root, so permission errors can be tested as root.
/// Works as root (sshd then needs /run/sshd, created here) and as a normal user (who can only log in as
/// themselves, which is all the tests need).
public final class SSHServer: @unchecked Sendable {
    /// sshd, ssh or ssh-keygen is not installed; tests skip (or fail on CI, see `TestServers.mustRun`).
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    public let folder: String
    public let port: Int
    public let readOnlyPort: Int
    /// The login name: the user running the tests.
    public let user: String
    /// The private key whose public half is in authorized_keys.
    public let userKey: String
    /// A valid key the server does not accept.
    public let wrongUserKey: String
    /// known_hosts with the server's host key for both ports.
    public let knownHosts: String
    /// known_hosts with a different ed25519 key for both ports: a "changed" host key.
    public let wrongKnownHosts: String
    /// An empty known_hosts file: the host key is unknown.
    public let emptyKnownHosts: String
    /// sshd's own messages (LogLevel VERBOSE), for diagnosing failures.
    public let logFile: String
    /// sshd's pid. Started with posix_spawn, not Foundation's Process: sshd closes every inherited descriptor at
    /// start, and Process takes the closing of its monitoring socket for the child's exit, then blocks in waitpid
    /// on its shared monitor thread, which hangs every later Process in the test run.
    private let pid: pid_t
    private let exited = Locked(false)

    /// Creates the keys and configuration and starts sshd; returns once both ports accept connections.
    public static func start() throws -> SSHServer {
        let candidates: [String] = ["/usr/sbin/sshd", "/usr/local/sbin/sshd"]
        guard let sshd = candidates.first(where: { access($0, X_OK) == 0 }) else {
            throw Unavailable(description: "sshd is not installed (apt-get install openssh-server)")
        }
        guard TestServers.locate("ssh") != nil, let keygen = TestServers.locate("ssh-keygen") else {
            throw Unavailable(description: "the ssh client is not installed (apt-get install openssh-client)")
        }
        // A port found free can be taken by someone else before sshd binds it; new ports fix that.
        var attempt = 1
        while true {
            do { return try SSHServer(sshd: sshd, keygen: keygen) } catch is CairnError where attempt < 3 {
                attempt += 1
            }
        }
    }

    private init(sshd: String, keygen: String) throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        folder = Paths.join(base, "cairn-sshd-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FS.makeDirectories(Paths.join(folder, "remotes"))
        port = try TestServers.freePort()
        var second = try TestServers.freePort()
        while second == port { second = try TestServers.freePort() }
        readOnlyPort = second
        user = getpwuid(geteuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "root"

        let hostKey = Paths.join(folder, "host_ed25519")
        let otherHostKey = Paths.join(folder, "other_host_ed25519")
        userKey = Paths.join(folder, "user_ed25519")
        wrongUserKey = Paths.join(folder, "wrong_user_ed25519")
        for key in [hostKey, otherHostKey, userKey, wrongUserKey] {
            try Self.run(keygen, ["-q", "-t", "ed25519", "-N", "", "-C", "cairn-test", "-f", key])
        }
        let authorizedKeys = Paths.join(folder, "authorized_keys")
        try FS.writeAtomically(authorizedKeys, try FS.readString(userKey + ".pub"), mode: 0o600)

        let ports = [port, readOnlyPort]
        func knownHostsLines(_ publicKeyFile: String) throws -> String {
            let fields = try FS.readString(publicKeyFile).split(separator: " ").prefix(2).joined(separator: " ")
            return ports.map { "[127.0.0.1]:\($0) \(fields)\n" }.joined()
        }
        knownHosts = Paths.join(folder, "known_hosts")
        wrongKnownHosts = Paths.join(folder, "wrong_known_hosts")
        emptyKnownHosts = Paths.join(folder, "empty_known_hosts")
        try FS.writeAtomically(knownHosts, try knownHostsLines(hostKey + ".pub"))
        try FS.writeAtomically(wrongKnownHosts, try knownHostsLines(otherHostKey + ".pub"))
        try FS.writeAtomically(emptyKnownHosts, "")

        let config = Paths.join(folder, "sshd_config")
        try FS.writeAtomically(config, """
            Port \(port)
            Port \(readOnlyPort)
            ListenAddress 127.0.0.1
            HostKey \(hostKey)
            AuthorizedKeysFile \(authorizedKeys)
            StrictModes no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PermitRootLogin prohibit-password
            UsePAM no
            PidFile \(Paths.join(folder, "sshd.pid"))
            LogLevel VERBOSE
            MaxStartups 64
            Subsystem sftp internal-sftp
            Match LocalPort \(readOnlyPort)
                ForceCommand internal-sftp -R

            """)
        if geteuid() == 0 && !FS.isDirectory("/run/sshd") {
            try FS.makeDirectories("/run/sshd", mode: 0o755)  // sshd's privilege-separation folder
        }
        logFile = Paths.join(folder, "sshd.log")
        try FS.writeAtomically(logFile, "")
        pid = try SSHServer.spawn(sshd, ["-D", "-e", "-f", config], stderrFile: logFile)
        let ready = TestServers.waitUntil(timeout: 10, interval: 0.02) {
            !isRunning || TestServers.isListening(port: port) && TestServers.isListening(port: readOnlyPort)
        }
        if !ready || !isRunning {
            let log = (try? FS.readString(logFile)) ?? ""
            stop()
            let lastLines = log.split(separator: "\n").suffix(5).joined(separator: " | ")
            throw CairnError("sshd did not start on 127.0.0.1:\(port): \(lastLines)")
        }
    }

    deinit { stop() }

    /// A new empty folder for one remote, as an absolute path (the server sees the same file system).
    public func makeRemoteFolder(_ label: String = "remote") throws -> String {
        let path = Paths.join(folder, "remotes", "\(label)-\(UInt64.random(in: 0...UInt64.max))")
        try FS.makeDirectories(path)
        return path
    }

    /// SIGTERM, then SIGKILL if sshd lingers; reaps it and removes the folder. Safe to call twice.
    public func stop() {
        if isRunning {
            kill(pid, SIGTERM)
            if !TestServers.waitUntil(timeout: 3, interval: 0.02, { !isRunning }) {
                kill(pid, SIGKILL)
                _ = TestServers.waitUntil(timeout: 5, interval: 0.02, { !isRunning })
            }
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Whether sshd still runs; reaps it once it has exited.
    private var isRunning: Bool {
        exited.withLock { done in
            if done { return false }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) { done = true }
            return !done
        }
    }

    /// Starts `tool` with stdin and stdout on /dev/null and stderr appended to `stderrFile`.
    private static func spawn(_ tool: String, _ arguments: [String], stderrFile: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrFile, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        let argv = ([tool] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let code = posix_spawn(&child, tool, &actions, nil, argv, environ)
        guard code == 0 else { throw CairnError("\(tool): posix_spawn failed: \(String(cString: strerror(code)))") }
        return child
    }

    /// Runs a tool to completion; a failure names the tool and its exit status.
    private static func run(_ tool: String, _ arguments: [String]) throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: tool)
        child.arguments = arguments
        child.standardInput = FileHandle.nullDevice
        child.standardOutput = FileHandle.nullDevice
        try child.run()
        child.waitUntilExit()
        if child.terminationStatus != 0 {
            throw CairnError("\(tool) \(arguments.joined(separator: " ")): exit status \(child.terminationStatus)")
        }
    }
}
