import Foundation
import XCTest

/// A throwaway Git work tree for one test: `<tmp>/cairn-e2e-XXXXXX/repo`, with the real `git init` and a user
/// configured. The surrounding base directory belongs to the test too, so "outside the repository" paths and
/// escaped writes land somewhere the test can inspect and delete.
final class TempRepo {
    /// The temp directory that holds the repo (and the captured output files).
    let base: String
    /// The Git work tree root, with symlinks resolved (cairn reports resolved paths).
    let root: String

    init(git: Bool = true) throws {
        var template = Array((NSTemporaryDirectory() + "/cairn-e2e-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw TestSetupError("mkdtemp failed: errno \(errno)") }
        let resolved = URL(fileURLWithPath: String(cString: made)).resolvingSymlinksInPath().path
        base = resolved
        root = resolved + "/repo"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        if git {
            try gitChecked("init", "-q")
            // Appending to .git/config saves three `git config` processes per test.
            let config = root + "/.git/config"
            let extra = "[user]\n\tname = cairn e2e\n\temail = e2e@example.invalid\n[commit]\n\tgpgsign = false\n"
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: config))
            try handle.seekToEnd()
            handle.write(Data(extra.utf8))
            try handle.close()
        }
    }

    func destroy() {
        _ = try? Subprocess(executable: "/bin/chmod", arguments: ["-R", "u+rwX", base], workingDirectory: "/",
                            environment: Subprocess.baseEnvironment(), scratchDirectory: base).run()
        try? FileManager.default.removeItem(atPath: base)
    }

    // MARK: running programs

    /// Runs the built `cairn` with `cwd` relative to the repo root (or absolute) and extra environment.
    @discardableResult
    func cairn(_ arguments: String..., cwd: String = "", env: [String: String] = [:]) throws -> CommandResult {
        try cairnArgsProcess(arguments, cwd: cwd, env: env).run()
    }

    func startCairn(_ arguments: String..., cwd: String = "", env: [String: String] = [:]) throws -> RunningProcess {
        try cairnArgsProcess(arguments, cwd: cwd, env: env).start()
    }

    func cairnArgsProcess(_ arguments: [String], cwd: String, env: [String: String]) throws -> Subprocess {
        guard CairnBinary.exists else {
            throw TestSetupError("cairn binary not found at \(CairnBinary.path); build it first (swift build)")
        }
        return Subprocess(executable: CairnBinary.path, arguments: arguments, workingDirectory: path(cwd),
                          environment: Subprocess.baseEnvironment().merging(env) { $1 }, scratchDirectory: base)
    }

    @discardableResult
    func git(_ arguments: String..., cwd: String = "") throws -> CommandResult {
        try program("/usr/bin/git", arguments, cwd: cwd)
    }

    func gitChecked(_ arguments: String...) throws {
        let result = try program("/usr/bin/git", arguments, cwd: "")
        if result.exitCode != 0 { throw TestSetupError("git \(arguments.joined(separator: " ")) failed: \(result.stderr)") }
    }

    /// Runs `/bin/sh -c script` in the given directory (for printed hints and helper processes).
    @discardableResult
    func shell(_ script: String, cwd: String = "") throws -> CommandResult {
        try program("/bin/sh", ["-c", script], cwd: cwd)
    }

    func startShell(_ script: String, cwd: String = "") throws -> RunningProcess {
        try Subprocess(executable: "/bin/sh", arguments: ["-c", script], workingDirectory: path(cwd),
                       environment: Subprocess.baseEnvironment(), scratchDirectory: base).start()
    }

    private func program(_ executable: String, _ arguments: [String], cwd: String) throws -> CommandResult {
        try Subprocess(executable: executable, arguments: arguments, workingDirectory: path(cwd),
                       environment: Subprocess.baseEnvironment(), scratchDirectory: base).run()
    }

    // MARK: paths

    /// Absolute path of a repo-relative path ("" is the root); absolute paths pass through.
    func path(_ relative: String) -> String {
        if relative.hasPrefix("/") { return relative }
        return relative.isEmpty ? root : root + "/" + relative
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
