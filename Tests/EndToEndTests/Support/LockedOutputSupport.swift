import Foundation
import XCTest

/// Writing cairn.lock files by hand for the tests of lock outputs as tracked data (the engine writes them with
/// `cairn repro`; these tests must not depend on it). An output is stored the way repro stores it: `cairn add`
/// puts it in the cache and git-ignores it; the pointer is then deleted and its fields become the lock entry.
extension EndToEndTestCase {
    /// Stores the existing file or directory `path` (repo-relative) and returns its lock entry, with the path
    /// written relative to `lockDirectory` and the extra `flags` (e.g. `push: false`).
    func storeOutput(_ repo: TempRepo, _ path: String, lockDirectory: String = "", flags: String = "",
                     file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let pointer = try add(repo, path, file: file, line: line)
        try repo.remove(path + ".cairn")
        let relative = lockDirectory.isEmpty ? path : String(path.dropFirst(lockDirectory.count + 1))
        var fields = ["path: \(relative)", "type: \(pointer["type"] ?? "file")", "id: \"\(pointer["id"] ?? "")\"",
                      "size: \(pointer["size"] ?? "0")"]
        if let files = pointer["files"] { fields.append("files: \(files)") }
        if pointer["executable"] == "true" { fields.append("executable: true") }
        if !flags.isEmpty { fields.append(flags) }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// Writes `lockDirectory/cairn.lock` with one stage per entry of `stages` (name → out entries).
    func writeLock(_ repo: TempRepo, _ lockDirectory: String = "", stages: [(String, [String])]) throws {
        var lines = ["# cairn.lock: written by cairn repro, committed to Git; do not edit (docs/formats.md)",
                     "format: 1", "stages:"]
        for (name, outs) in stages {
            lines += ["  \(name):", "    cmd: make \(name)", "    outs:"]
            lines += outs.map { "    - \($0)" }
        }
        try repo.write(lockDirectory.isEmpty ? "cairn.lock" : lockDirectory + "/cairn.lock",
                       lines.joined(separator: "\n") + "\n")
    }

    /// A lock entry of an output that cairn does not store (`cache: false`), e.g. a metrics file kept in Git.
    func uncachedOutput(_ repo: TempRepo, _ path: String) throws -> String {
        "{path: \(path), type: file, id: \"sha256:\(try repo.sha256(path))\", size: \(try repo.read(path).count), cache: false}"
    }
}
