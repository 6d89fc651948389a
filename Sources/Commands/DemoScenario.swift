import Basics
import Sync
import GitBridge
import ObjectStore
import Sync
import Workspace

/// `cairn demo`: cairn's main job end to end on a small embedded sample, in a fresh Git repository.
/// It drives the same operations the commands use, so a passing demo means the core works on this machine.
public enum DemoScenario {
    /// `remoteFolder` is the folder remote the demo pushes to and pulls from (created if missing).
    public static func run(directory: String, remoteFolder: String, say: (String) -> Void) throws {
        try localPart(directory: directory, say: say)
        try remotePart(directory: directory, remoteFolder: remoteFolder, say: say)
    }

    private static func localPart(directory: String, say: (String) -> Void) throws {
        try FS.makeDirectories(directory)
        guard (try FS.listDirectory(directory)).isEmpty else {
            throw CairnError("\(directory): not empty; the demo needs an empty or new directory")
        }
        _ = try GitRepository.initialize(at: directory)
        say("$ git init \(directory)        # done through libgit2")
        _ = try RepositoryInit.run(cwd: directory)
        say("$ cairn init\nInitialized cairn repository in \(directory)/.cairn")

        let csv = Paths.join(directory, "data/sensors.csv")
        try FS.makeDirectories(Paths.join(directory, "data/images"))
        try FS.writeAtomically(csv, SampleData.csv(rows: 60_000, seed: 1))
        for i in 0..<24 {
            try FS.writeAtomically(Paths.join(directory, "data/images/img\(i).bin"), SampleData.bytes(count: 3000 + i * 97, seed: UInt64(i)))
        }
        let repo = try CairnRepository.open(cwd: directory, lockMode: .exclusive)
        var added = try AddOperation.run(repo: repo, arguments: ["data/sensors.csv", "data/images"], cwd: directory,
                                         kind: .dataset, desc: "demo sensor readings")
        say("\n$ cairn add data/sensors.csv data/images --kind dataset")
        for r in added { say("added \(r.dataPath) (\(Progress.human(Int64(r.size))))") }
        say("store size: \(Progress.human(Int64(repo.store.totalStoredBytes))) for "
            + "\(Progress.human(Int64(added.reduce(0) { $0 + $1.size }))) of data (zstd + dedup)")
        say("\n$ cat data/sensors.csv.cairn\n" + (try FS.readString(csv + ".cairn")))

        try FS.writeAtomically(csv, SampleData.csv(rows: 61_000, seed: 1))
        try FS.removeFile(Paths.join(directory, "data/images/img3.bin"))
        try FS.writeAtomically(Paths.join(directory, "data/images/new.bin"), SampleData.bytes(count: 5000, seed: 99))
        say("$ cairn status            # after appending rows and changing images")
        for entry in try StatusOperation.run(repo: repo, arguments: [], cwd: directory) where entry.state != .unchanged {
            say("\(entry.path): \(entry.state.rawValue)")
            for change in entry.changes { say("    \(change.change): \(change.path)") }
        }
        let before = repo.store.totalStoredBytes
        added = try AddOperation.run(repo: repo, arguments: ["data/sensors.csv", "data/images"],
                                     cwd: directory, kind: nil, desc: nil)
        say("\n$ cairn add data/sensors.csv data/images")
        say("store grew by \(Progress.human(Int64(repo.store.totalStoredBytes - before))): only the changed chunks")

        try FS.removeTree(Paths.join(directory, "data/images"))
        try FS.removeFile(csv)
        say("\n$ rm -r data/sensors.csv data/images && cairn checkout")
        let checkout = try CheckoutOperation.run(repo: repo, arguments: [], cwd: directory, force: false)
        for target in checkout.changedTargets { say("restored \(target)") }

        let gc = try GarbageCollector.run(repo: repo, dryRun: false)
        say("\n$ cairn gc\nremoved \(Counted.of(gc.removedObjects, "object")), \(Progress.human(Int64(gc.removedBytes)))")
        let report = try IntegrityCheck.run(repo: repo, arguments: [], cwd: directory)
        say("\n$ cairn fsck\nchecked \(Counted.of(report.filesChecked, "unique file content")): \(report.problems.isEmpty ? "no problems" : "\(report.problems.count) problems")")
        guard report.problems.isEmpty else { throw CairnError("demo: fsck found problems; this is a bug") }
        let status = try StatusOperation.run(repo: repo, arguments: [], cwd: directory)
        guard status.allSatisfy({ $0.state == .unchanged }) else { throw CairnError("demo: status not clean after checkout; this is a bug") }
        say("\n$ cairn status\nEverything is up to date.")
    }

    /// Push to a folder remote, lose the cache and the data (as a fresh clone has neither), pull them back.
    private static func remotePart(directory: String, remoteFolder: String, say: (String) -> Void) throws {
        try FS.makeDirectories(remoteFolder)
        let files = try RemoteConfigurationFiles.locate(cwd: directory)
        _ = try RemoteConfiguration.add(name: "origin", url: remoteFolder, scope: .shared, force: false,
                                        makeDefault: true, files: files)
        say("\n$ cairn remote add -d origin \(remoteFolder)")
        do {
            let repo = try CairnRepository.open(cwd: directory, lockMode: .shared)
            let remote = try RemoteOpener.open(try RemoteConfiguration.remote(named: nil, config: repo.config))
            let selection = try TransferTargets.select(repo: repo, arguments: [], cwd: directory, scope: .init())
            let pushed = try PushOperation.run(repo: repo, remote: remote, targets: selection.targets, jobs: 4,
                                               progressEnabled: false)
            say("$ cairn push\npushed \(Counted.of(pushed.objectsSent, "object")) in \(Counted.of(pushed.packsSent, "pack")) "
                + "(\(Progress.human(Int64(pushed.bytesSent)))) to 'origin'")
        }
        try FS.removeTree(Paths.join(directory, ".cairn/cache"))
        try FS.removeTree(Paths.join(directory, "data/images"))
        try FS.removeFile(Paths.join(directory, "data/sensors.csv"))
        say("\n$ rm -r .cairn/cache data/sensors.csv data/images   # what a fresh clone has: pointers only")
        let repo = try CairnRepository.open(cwd: directory, lockMode: .exclusive)
        let remote = try RemoteOpener.open(try RemoteConfiguration.remote(named: nil, config: repo.config))
        let selection = try TransferTargets.select(repo: repo, arguments: [], cwd: directory, scope: .init())
        let checkout = try PullOperation.run(repo: repo, remote: remote, selection: selection, jobs: 4, force: false,
                                             progressEnabled: false) { fetched in
            guard fetched.missing.isEmpty, fetched.damaged.isEmpty else {
                throw CairnError("demo: pull did not bring everything back; this is a bug")
            }
            say("$ cairn pull\nfetched \(Counted.of(fetched.objectsFetched, "object")) (\(Progress.human(Int64(fetched.bytesFetched)))), "
                + "each verified by its hash")
        }
        for target in checkout.changedTargets { say("restored \(target)") }
        let report = try IntegrityCheck.run(repo: repo, arguments: [], cwd: directory)
        guard report.problems.isEmpty,
              try StatusOperation.run(repo: repo, arguments: [], cwd: directory).allSatisfy({ $0.state == .unchanged })
        else { throw CairnError("demo: data differs after pull; this is a bug") }
        say("\n$ cairn fsck && cairn status\nchecked \(Counted.of(report.filesChecked, "unique file content")): no problems\nEverything is up to date.")
    }
}

/// Deterministic sample data, so the demo needs no download.
enum SampleData {
    static func csv(rows: Int, seed: UInt64) -> String {
        var rng = SplitMix(seed)
        let cities = ["Berlin", "Paris", "Oslo", "Rome", "Lisbon"]
        var out = "id,city,temperature,humidity,label\n"
        for i in 0..<rows {
            let t = Double(rng.next() % 4000) / 100 - 5
            let h = rng.next() % 100
            out += "\(i),\(cities[Int(rng.next() % 5)]),\(t),\(h),\(rng.next() % 2 == 0 ? "ok" : "alert")\n"
        }
        return out
    }

    static func bytes(count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix(seed &+ 1000)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }
}

struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
