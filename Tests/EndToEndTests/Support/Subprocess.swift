import Foundation

/// Runs programs for the tests. Output goes to temporary files rather than pipes: a chatty child can never block
/// on a full pipe, and the child's stdout/stderr are plainly not terminals.
struct Subprocess {
    let executable: String
    let arguments: [String]
    let workingDirectory: String
    let environment: [String: String]
    /// Where the captured output files are created (inside the test's own temp dir).
    let scratchDirectory: String

    /// The environment every child starts from: the test runner's, minus anything that would change cairn's
    /// behaviour behind the test's back.
    static func baseEnvironment() -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("CAIRN_") || key.hasPrefix("GIT_") { env[key] = nil }
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["LC_ALL"] = "C.UTF-8"
        return env
    }

    /// Runs to completion and returns the captured output.
    func run() throws -> CommandResult {
        let running = try start()
        return running.wait()
    }

    /// Starts the program and returns at once, for tests that race, lock or kill it.
    func start() throws -> RunningProcess {
        let token = UUID().uuidString
        let outPath = scratchDirectory + "/.out-\(token)"
        let errPath = scratchDirectory + "/.err-\(token)"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        try out.close()
        try err.close()
        return RunningProcess(process: process, arguments: arguments, outPath: outPath, errPath: errPath)
    }
}

/// A started child process; `wait()` collects its output and removes the capture files.
final class RunningProcess {
    let process: Process
    let arguments: [String]
    private let outPath: String
    private let errPath: String

    init(process: Process, arguments: [String], outPath: String, errPath: String) {
        self.process = process
        self.arguments = arguments
        self.outPath = outPath
        self.errPath = errPath
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// What the process has written to stderr so far (for polling while it runs).
    var stderrSoFar: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    func wait() -> CommandResult {
        process.waitUntilExit()
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
        // A process killed by a signal reports the signal number; map it to a negative code so that
        // assertions on 0/1/2 can never pass by accident.
        let code = process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
        return CommandResult(arguments: arguments, exitCode: code, stdout: stdout, stderr: stderr)
    }

    /// Waits at most `seconds`; a process still running then is killed and nil is returned (a hang).
    func wait(timeout seconds: Double) -> CommandResult? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            killHard()
            _ = wait()
            return nil
        }
        return wait()
    }

    /// SIGKILL, as a crash or an OOM kill would deliver it.
    func killHard() {
        kill(process.processIdentifier, SIGKILL)
    }
}
