import Basics
import Foundation
import XCTest

/// Issue 8, item 11: every registered crash point (`CAIRN_CRASH_AT`, see Basics/CrashPoint.swift) is hit for
/// real, and the repository it leaves behind recovers: the next command succeeds, `fsck` is clean and every
/// committed version can be checked out. Deterministic, unlike a kill after a sleep, which passes when the
/// command happened to finish first: here the test fails unless cairn died exactly at the point.
final class CrashPointTests: EndToEndTestCase {
    /// Sha256 of every data file, per commit, for the versions committed so far.
    private typealias Versions = [(commit: String, sums: [String: String])]

    func testEveryCrashPointLeavesARecoverableRepository() throws {
        for point in CrashPoint.allCases {
            try runScenario(point)
        }
    }

    /// Builds a repository with two committed versions and a folder remote, runs the command that reaches
    /// `point` with the point armed, then the command a user would run next, and checks the result.
    private func runScenario(_ point: CrashPoint) throws {
        let repo = try makeRepo()
        let remote = repo.base + "/remote"
        try FileManager.default.createDirectory(atPath: remote, withIntermediateDirectories: true)
        try repo.cairn("remote", "add", "-d", "origin", remote).assertSuccess()
        var versions = try twoVersions(repo)
        var checked = repo

        // Which command reaches the point, what to prepare first, and what to run next (a plain retry).
        let command: [String]
        switch point {
        case .afterPackAppend, .beforeIndexRename, .addBeforePointers:
            _ = try repo.writeRandom("data/new.bin", size: 1 << 20, seed: 91)
            command = ["add", "data/new.bin"]
        case .midCheckout:
            try repo.remove("data/set")
            try repo.remove("model.bin")
            command = ["checkout"]
        case .midPush:
            command = ["push", "--all-commits"]
        case .midGC:
            // Garbage in the same pack as a live object, so gc must rewrite that pack.
            _ = try repo.writeRandom("data/keep.bin", size: 300_000, seed: 92)
            _ = try repo.writeRandom("data/drop.bin", size: 300_000, seed: 93)
            try repo.cairn("add", "data/keep.bin", "data/drop.bin").assertSuccess()
            try repo.remove("data/drop.bin")
            try repo.remove("data/drop.bin.cairn")
            try repo.commitEverything("keep")
            versions.append(try version(repo))
            command = ["gc", "--all-commits"]
        case .midFetch:
            try repo.cairn("push", "--all-commits").assertSuccess()
            checked = try gitClone(repo)
            command = ["fetch", "--all-commits"]
        case .reproAfterStage, .reproBeforeLockWrite:
            // Two stages; the second reads the first's output (ReproCrashTests covers what is kept in detail).
            try repo.write("cairn.yaml", """
                stages:
                  first:
                    cmd: cp data/set/b.txt first.txt
                    deps: [data/set/b.txt]
                    outs: [first.txt]
                  second:
                    cmd: cat first.txt first.txt > second.txt
                    deps: [first.txt]
                    outs: [second.txt]
                """)
            command = ["repro"]
        }

        let crashed = try checked.cairnArgs(command, env: ["CAIRN_CRASH_AT": point.rawValue])
        XCTAssertEqual(crashed.exitCode, CrashPoint.exitStatus,
                       "\(point.rawValue): the command did not die at its crash point\n\(crashed.transcript)")
        XCTAssertTrue(crashed.stderr.contains("cairn: crash point \(point.rawValue)"),
                      "\(point.rawValue): no crash-point marker\n\(crashed.transcript)")

        if command.first == "add" {
            XCTAssertFalse(repo.exists("data/new.bin.cairn"), "\(point.rawValue): a pointer to data not yet stored")
        }
        let retried = try checked.cairnArgs(command)
        XCTAssertEqual(retried.exitCode, 0, "\(point.rawValue): the next run failed\n\(retried.transcript)")
        if command.first == "add" {
            try repo.commitEverything("new")
            versions.append(try version(repo))
        }
        if point == .midPush {
            // What the interrupted push left on the remote plus the retry must serve a fresh clone completely.
            checked = try gitClone(repo)
            try checked.cairn("fetch", "--all-commits").assertSuccess()
        }
        let fsck = try checked.cairn("fsck")
        XCTAssertEqual(fsck.exitCode, 0, "\(point.rawValue): fsck after recovery\n\(fsck.transcript)")
        try assertEveryVersionRestorable(checked, versions, point: point)
    }

    /// Two commits: a tracked directory and a chunked file, then both changed.
    private func twoVersions(_ repo: TempRepo) throws -> Versions {
        _ = try repo.writeRandom("data/set/a.bin", size: 200_000, seed: 94)
        try repo.write("data/set/b.txt", "first\n")
        _ = try repo.writeRandom("model.bin", size: 3 << 20, seed: 95)
        try repo.cairn("add", "data/set", "model.bin").assertSuccess()
        try repo.commitEverything("v1")
        let first = try version(repo)
        _ = try repo.writeRandom("data/set/a.bin", size: 250_000, seed: 96)
        try repo.write("data/set/c.txt", "second\n")
        _ = try repo.writeRandom("model.bin", size: 3 << 20, seed: 97)
        try repo.cairn("add", "data/set", "model.bin").assertSuccess()
        try repo.commitEverything("v2")
        return [first, try version(repo)]
    }

    private func version(_ repo: TempRepo) throws -> (commit: String, sums: [String: String]) {
        let commit = try repo.git("rev-parse", "HEAD").assertSuccess().stdoutLines[0]
        var sums: [String: String] = [:]
        for file in repo.files(under: "data") + ["model.bin"]
            where !file.hasSuffix(".cairn") && !file.hasSuffix(".gitignore") {
            sums[file] = try repo.sha256(file)
        }
        return (commit, sums)
    }

    private func assertEveryVersionRestorable(_ repo: TempRepo, _ versions: Versions, point: CrashPoint) throws {
        for (commit, sums) in versions {
            let checkout = try repo.cairn("checkout", "--rev", commit)
            XCTAssertEqual(checkout.exitCode, 0, "\(point.rawValue): version \(commit)\n\(checkout.transcript)")
            for (path, sum) in sums.sorted(by: { $0.key < $1.key }) {
                XCTAssertEqual(try? repo.sha256(path), sum, "\(point.rawValue): \(path) at \(commit)")
            }
        }
    }
}
