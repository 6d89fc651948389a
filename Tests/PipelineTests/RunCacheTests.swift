import Basics
import Foundation
import XCTest
import Workspace
@testable import Pipeline

final class RunCacheTests: RunRepositoryTestCase {
    private func stage(cmd: String = "python train.py", deps: [LockedPath]? = nil, lr: Double = 0.01,
                       outs: [LockedPath]) -> LockedStage {
        LockedStage(cmd: .string(cmd), deps: deps ?? [dep("data.csv", "a,b\n1,2\n"), dep("train.py", "print(1)")],
                    params: ["params.yaml": ParamMap([("train.lr", .float(lr)), ("train.epochs", .int(10))])],
                    outs: outs)
    }

    func testKeyIsStableAndIgnoresOrderAndOutIDs() {
        let a = stage(outs: [unstored("model.bin", "m1"), unstored("metrics.json", "{}", cache: false)])
        var b = a
        b.deps.reverse()
        b.outs = [unstored("metrics.json", "{\"acc\": 1}", cache: false), unstored("model.bin", "m2")]
        b.params = ["params.yaml": ParamMap([("train.epochs", .int(10)), ("train.lr", .float(0.01))])]
        XCTAssertEqual(RunCache.key(lockDirectory: "", stage: a), RunCache.key(lockDirectory: "", stage: b))
        // Stable across releases: the format is documented; a change here is a format change.
        XCTAssertEqual(RunCacheKey.keyText(lockDirectory: "", stage: a), """
            {"cmd":"python train.py","deps":[{"id":"\(ObjectID.of(Array("a,b\n1,2\n".utf8)).prefixed)","path":"data.csv"},\
            {"id":"\(ObjectID.of(Array("print(1)".utf8)).prefixed)","path":"train.py"}],"dir":"",\
            "outs":[{"cache":false,"path":"metrics.json"},{"cache":true,"path":"model.bin"}],\
            "params":{"params.yaml":{"train.epochs":10,"train.lr":0.01}},"run-cache-key":1}
            """)
        XCTAssertEqual(RunCache.key(lockDirectory: "", stage: a).utf8.count, 64)
    }

    func testKeyChangesWithWhatTheRunRead() {
        let base = stage(outs: [unstored("model.bin", "m1")])
        let key = RunCache.key(lockDirectory: "", stage: base)
        var variants: [LockedStage] = []
        variants.append(stage(cmd: "python train.py --fast", outs: base.outs))
        variants.append(stage(deps: [dep("data.csv", "a,b\n1,3\n"), dep("train.py", "print(1)")], outs: base.outs))
        variants.append(stage(lr: 0.02, outs: base.outs))
        variants.append(stage(outs: [unstored("model2.bin", "m1")]))
        variants.append(stage(outs: [unstored("model.bin", "m1", cache: false)]))
        var list = base
        list.cmd = .list([.string("python train.py")])
        variants.append(list)
        for variant in variants {
            XCTAssertNotEqual(RunCache.key(lockDirectory: "", stage: variant), key)
        }
        XCTAssertNotEqual(RunCache.key(lockDirectory: "models", stage: base), key)
        var sizes = base
        sizes.outs[0].size = 99
        sizes.deps[0].size = 99
        XCTAssertEqual(RunCache.key(lockDirectory: "", stage: sizes), key, "sizes are not part of the key")
    }

    func testRecordThenLookupReturnsTheRecordedOuts() throws {
        let cache = RunCache(repo: repo)
        let query = stage(outs: [unstored("model.bin", "placeholder"), unstored("metrics.json", "{}", cache: false)])
        XCTAssertNil(try cache.lookup(lockDirectory: "", stage: query))
        var ran = query
        ran.outs = [try storedOut("model.bin", "weights v1"), unstored("metrics.json", "{\"acc\": 0.9}", cache: false)]
        // A cache: false out (kept in Git) is stored by record, from the work tree, so that a hit can restore it.
        try write("metrics.json", "{\"acc\": 0.9}")
        try cache.record(lockDirectory: "", stage: ran)
        XCTAssertTrue(repo.store.hasFile(ran.outs[1].id))
        let hit = try XCTUnwrap(try cache.lookup(lockDirectory: "", stage: query))
        XCTAssertEqual(hit, ran)
        XCTAssertNil(try cache.lookup(lockDirectory: "sub", stage: query), "another pipeline directory")
        // Recording again is idempotent: one entry file.
        try cache.record(lockDirectory: "", stage: ran)
        XCTAssertEqual(try cache.allEntryNames().count, 1)
        // Files are where the format says, named by the hash of their bytes, and parse back.
        let key = RunCache.key(lockDirectory: "", stage: query)
        let name = try XCTUnwrap(try cache.allEntryNames().first?.name)
        let path = repo.cache.directory + "/runs/\(key.prefix(2))/\(key)/\(name)"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(ObjectID.of(Array(text.utf8)).hex, name)
        let decoded = try RunCacheEntry.decode(text, file: "x").stage
        XCTAssertEqual(decoded.outs, ran.outs)
        XCTAssertEqual(decoded.deps, ran.deps)
        XCTAssertEqual(decoded.cmd, ran.cmd)
        // Canonical: keys sorted, so the order of params.yaml is not kept (the key does not depend on it either).
        XCTAssertEqual(decoded.params["params.yaml"]?.keys, ["train.epochs", "train.lr"])
    }

    func testNewestEntryWinsAndPushFlagComesFromTheQuery() throws {
        let cache = RunCache(repo: repo)
        var query = stage(outs: [unstored("model.bin", "placeholder")])
        var first = query
        first.outs = [try storedOut("model.bin", "non-deterministic 1")]
        var second = query
        second.outs = [try storedOut("model.bin", "non-deterministic 2")]
        try cache.record(lockDirectory: "", stage: first)
        usleep(20_000)
        try cache.record(lockDirectory: "", stage: second)
        XCTAssertEqual(try cache.lookup(lockDirectory: "", stage: query)?.outs.map(\.id), second.outs.map(\.id))
        usleep(20_000)
        try cache.record(lockDirectory: "", stage: first)   // recorded again: newest again
        XCTAssertEqual(try cache.lookup(lockDirectory: "", stage: query)?.outs.map(\.id), first.outs.map(\.id))
        query.outs[0].push = false
        XCTAssertEqual(try cache.lookup(lockDirectory: "", stage: query)?.outs.first?.push, false)
    }

    func testMissingObjectIsNoHit() throws {
        let cache = RunCache(repo: repo)
        let query = stage(outs: [unstored("model.bin", "placeholder")])
        var ran = query
        ran.outs = [unstored("model.bin", "never stored")]
        try cache.record(lockDirectory: "", stage: ran)
        XCTAssertEqual(try cache.allEntryNames().count, 1)
        XCTAssertNil(try cache.lookup(lockDirectory: "", stage: query))
    }

    func testDamagedEntryIsSkippedWithAWarning() throws {
        let sink = CollectingDiagnostics()
        Diagnostics.install(sink)
        let cache = RunCache(repo: repo)
        let query = stage(outs: [unstored("model.bin", "placeholder")])
        var good = query
        good.outs = [try storedOut("model.bin", "good weights")]
        try cache.record(lockDirectory: "", stage: good)
        let key = RunCache.key(lockDirectory: "", stage: query)
        let folder = repo.cache.directory + "/runs/\(key.prefix(2))/\(key)"
        usleep(20_000)
        // Newer than the good one: a truncated entry, garbage under a valid-looking name, an entry of another key.
        let truncated = String(RunCacheEntry(key: key, lockDirectory: "", stage: good).encode().prefix(40))
        try truncated.write(toFile: folder + "/" + RunCacheEntry.name(of: truncated), atomically: false, encoding: .utf8)
        try "garbage".write(toFile: folder + "/" + String(repeating: "ab", count: 32), atomically: false,
                            encoding: .utf8)
        let other = RunCacheEntry(key: String(repeating: "0", count: 64), lockDirectory: "", stage: good).encode()
        try other.write(toFile: folder + "/" + RunCacheEntry.name(of: other), atomically: false, encoding: .utf8)
        try "tmp".write(toFile: folder + "/.cairn-tmp-1-2", atomically: false, encoding: .utf8)
        XCTAssertEqual(try cache.lookup(lockDirectory: "", stage: query)?.outs, good.outs)
        let warnings = sink.messages(.warning)
        XCTAssertEqual(warnings.count, 3, "\(warnings)")
        XCTAssertTrue(warnings.contains { $0.contains("content does not match its name") }, "\(warnings)")
        XCTAssertTrue(warnings.contains { $0.contains("not valid JSON") }, "\(warnings)")
        XCTAssertTrue(warnings.contains { $0.contains("recorded for key 000000000000") }, "\(warnings)")
    }

    func testStageWithoutOutsIsNotRecorded() throws {
        let cache = RunCache(repo: repo)
        try cache.record(lockDirectory: "", stage: stage(outs: []))
        XCTAssertEqual(try cache.allEntryNames().count, 0)
    }

    func testImportRefusesBytesThatDoNotMatchTheirName() throws {
        let cache = RunCache(repo: repo)
        let ran = stage(outs: [try storedOut("model.bin", "w")])
        let key = RunCache.key(lockDirectory: "", stage: ran)
        let text = RunCacheEntry(key: key, lockDirectory: "", stage: ran).encode()
        XCTAssertThrowsError(try cache.importEntry(Array((text + " ").utf8), key: key, name: RunCacheEntry.name(of: text)))
        XCTAssertThrowsError(try cache.importEntry(Array(text.utf8), key: String(repeating: "1", count: 64),
                                                   name: RunCacheEntry.name(of: text)))
        try cache.importEntry(Array(text.utf8), key: key, name: RunCacheEntry.name(of: text))
        XCTAssertEqual(try cache.lookup(lockDirectory: "", stage: ran)?.outs, ran.outs)
        XCTAssertEqual(cache.remoteObjects(key: key, name: RunCacheEntry.name(of: text)), ran.outs.map(\.id))
    }

    /// Writers in parallel (threads here; processes behave the same: one rename per content name) leave one valid
    /// entry per distinct run and no temp files.
    func testConcurrentRecordersNeverClash() throws {
        let cache = RunCache(repo: repo)
        let query = stage(outs: [unstored("model.bin", "placeholder")])
        var runs: [LockedStage] = []
        for i in 0..<4 {
            var ran = query
            ran.outs = [try storedOut("model.bin", "result \(i)")]
            runs.append(ran)
        }
        let failures = Locked(0)
        let all = runs
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            do { try cache.record(lockDirectory: "", stage: all[i % 4]) } catch { failures.withLock { $0 += 1 } }
        }
        XCTAssertEqual(failures.snapshot, 0)
        let key = RunCache.key(lockDirectory: "", stage: query)
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.keyDirectory(key))
        XCTAssertEqual(files.count, 4, "\(files)")
        XCTAssertEqual(cache.entries(key: key).count, 4)
        XCTAssertNotNil(try cache.lookup(lockDirectory: "", stage: query))
    }

    /// With cache.dir, the run-cache sits in the shared cache: another work tree using it gets the hit.
    func testSharedCacheSharesTheRunCache() throws {
        let shared = root + "-shared-cache"
        defer { try? FileManager.default.removeItem(atPath: shared) }
        try write(".cairn/config.local", "[cache]\n\tdir = \(shared)\n")
        repo = nil
        repo = try CairnRepository.open(cwd: root, lockMode: .exclusive, warn: { _ in })
        let cache = RunCache(repo: repo)
        XCTAssertEqual(cache.directory, shared + "/runs")
        let query = stage(outs: [unstored("model.bin", "placeholder")])
        var ran = query
        ran.outs = [try storedOut("model.bin", "shared weights")]
        try cache.record(lockDirectory: "", stage: ran)
        XCTAssertTrue(FileManager.default.fileExists(atPath: shared + "/runs"))
        XCTAssertEqual(try cache.lookup(lockDirectory: "", stage: query)?.outs, ran.outs)
    }

    /// A cache: false out whose content could not be stored (the file changed before record) makes no hit.
    func testUncachedOutNotInTheStoreIsNoHit() throws {
        let cache = RunCache(repo: repo)
        let query = stage(outs: [unstored("model.bin", "p"), unstored("metrics.json", "{}", cache: false)])
        var ran = query
        ran.outs = [try storedOut("model.bin", "weights"), unstored("metrics.json", "{\"acc\": 1}", cache: false)]
        try write("metrics.json", "{\"acc\": 2}")   // same size, other content: not the recorded out
        try cache.record(lockDirectory: "", stage: ran)
        XCTAssertFalse(repo.store.hasFile(ran.outs[1].id))
        XCTAssertNil(try cache.lookup(lockDirectory: "", stage: query))
    }
}
