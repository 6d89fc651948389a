import Basics
import Foundation
import XCTest

/// A throwaway directory in which tests build real repositories with the real `git` program, so that
/// GitBridge is checked against what git itself writes (index format, worktree layout).
final class GitFixture {
    /// realpath'd, because GitRepository reports realpath'd directories (/tmp may be a symlink).
    let root: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "cairn-gitbridge-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CairnError.posix("mkdtemp", "gitbridge", errno: errno) }
        root = FS.realPath(String(cString: made)) ?? String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func path(_ relative: String) -> String { Paths.join(root, relative) }

    /// Runs /usr/bin/git in `directory` (relative to root), isolated from the user's and system's config and
    /// from GIT_* variables of whoever runs the tests; throws with git's stderr when it fails.
    /// `environment` adds variables (editors, dates); `inputFile` becomes git's standard input.
    @discardableResult
    func git(_ arguments: [String], in directory: String = "", environment extra: [String: String] = [:],
             inputFile: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: path(directory))
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        if let inputFile { process.standardInput = FileHandle(forReadingAtPath: inputFile) }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CairnError("git \(arguments.joined(separator: " ")) failed: \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `git init` in `directory` with an identity, so commits work on machines without a global config.
    func initRepository(_ directory: String = "repo") throws {
        try FS.makeDirectories(path(directory))
        try git(["init", "-q", "-b", "main"], in: directory)
        try git(["config", "user.name", "Cairn Tests"], in: directory)
        try git(["config", "user.email", "tests@cairn.invalid"], in: directory)
    }

    /// Creates a file (and its directories) with some content.
    func write(_ relative: String, _ content: String = "content\n") throws {
        let full = path(relative)
        try FS.makeDirectories(Paths.parent(full))
        try FS.writeAtomically(full, content)
    }
}
