import Foundation
import XCTest

/// What the push/pull tests of every remote kind share.
extension EndToEndTestCase {
    /// A Git clone of `repo` in a new temp folder: the pointers and the remote settings, no data.
    func gitClone(_ repo: TempRepo) throws -> TempRepo {
        let copy = try makeRepo(initialized: false, git: false)
        try FileManager.default.removeItem(atPath: copy.root)
        try repo.git("clone", "-q", repo.root, copy.root).assertSuccess()
        return copy
    }
}

extension TempRepo {
    /// `git add -A && git commit`, asserted to succeed.
    func commitEverything(_ message: String = "data") throws {
        try git("add", "-A").assertSuccess()
        try git("commit", "-qm", message).assertSuccess()
    }
}

/// The pack files under a remote folder's `packs/`, relative to it, sorted (folder and SSH remotes are on this
/// machine's file system, so tests can look at and damage what was pushed).
func remotePackFiles(_ folder: String) -> [String] {
    let all = FileManager.default.enumerator(atPath: folder + "/packs")?.allObjects as? [String] ?? []
    return all.filter { $0.hasSuffix(".pack") }.sorted()
}

/// Issue 8, item 2: data whose manifests arrive in one pack before all of them are known to be needed.
extension EndToEndTestCase {
    /// A tracked directory holding a chunked file (its manifest is found only once the directory's tree is
    /// here) plus a large tracked file (its manifest is asked for by name), committed; returns the sha256 of
    /// each data file. Push puts both manifests into the same pack.
    func chunkedDirectoryAndLargeFile(_ repo: TempRepo) throws -> [String: String] {
        _ = try repo.writeRandom("data/nested/chunked.bin", size: 3 << 20, seed: 81)
        try repo.write("data/small.txt", "small\n")
        _ = try repo.writeRandom("large.bin", size: 4 << 20, seed: 82)
        try repo.cairn("add", "data", "large.bin").assertSuccess()
        try repo.commitEverything()
        var sums: [String: String] = [:]
        for file in ["data/nested/chunked.bin", "data/small.txt", "large.bin"] { sums[file] = try repo.sha256(file) }
        return sums
    }

    /// One `cairn pull` in `copy` (a fresh clone) brings everything: exit 0, exact content, the remote status in
    /// sync, and a second fetch has nothing left to do.
    func assertOnePullBringsEverything(_ copy: TempRepo, _ sums: [String: String], env: [String: String] = [:],
                                       file: StaticString = #filePath, line: UInt = #line) throws {
        let pull = try copy.cairn("pull", env: env)
        XCTAssertEqual(pull.exitCode, 0, pull.transcript, file: file, line: line)
        for (path, sum) in sums { try assertContent(copy, path, sha256: sum, file: file, line: line) }
        try copy.cairn("status", "--remote", env: env).assertSuccess()
            .assertStdoutLine("Everything is in sync with 'origin'.", file: file, line: line)
        try copy.cairn("fetch", env: env).assertSuccess().assertStdoutLine("Everything is up to date.", file: file, line: line)
    }
}
