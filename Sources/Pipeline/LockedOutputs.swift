import Basics
import Workspace

/// The outputs recorded in cairn.lock files, as tracked data (`TrackedDataProvider`, registered by the command
/// layer): each out with `cache: true` is tracked exactly like data with a pointer file — git-ignored, in the
/// cache, checked out, pushed (unless `push: false`), kept by gc, indexed in lineage — with the lock file standing
/// in for the pointer. A lock names its outputs relative to its own directory, so a lock at any revision is read
/// on its own, without cairn.yaml (a lock whose cairn.yaml is gone still names data to keep).
public struct LockedOutputs: TrackedDataProvider {
    public init() {}

    public var fileName: String { PipelineLock.fileName }

    public func workTree(root: String, path: String) throws -> [TrackedData] {
        // The codec's loader is the hardened one: regular files only, size and YAML limits.
        guard let lock = try PipelineLockCodec.load(root: root, lockPath: path) else { return [] }
        return try LockedOutputs.outputs(of: lock, lockPath: path, source: path)
    }

    public func decode(_ bytes: [UInt8], path: String, source: String) throws -> [TrackedData] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CairnError("\(Paths.quoted(source)): not UTF-8 text")
        }
        let lock = try PipelineLockCodec.decode(text, file: source)
        return try LockedOutputs.outputs(of: lock, lockPath: path, source: source)
    }

    /// One TrackedData per cached out, in stage order (bytes) then the stage's order. Every path is checked with
    /// the rule pointers obey (`Paths.unsafeReason`): a hostile lock naming `.git/hooks` or `../x` is refused as a
    /// whole, naming the lock, before any command could write or delete there.
    public static func outputs(of lock: PipelineLock, lockPath: String, source: String) throws -> [TrackedData] {
        let directory = Paths.parent(lockPath)
        let shown = Paths.quoted(source)
        var result: [TrackedData] = []
        var seen = Set<PathKey>()
        for name in lock.stages.keys.sorted(by: Paths.bytewiseLess) {
            guard let stage = lock.stages[name] else { continue }
            let display = directory.isEmpty ? name : Paths.join(directory, PipelineParser.fileName) + ":" + name
            for out in stage.outs where out.cache {
                if let reason = Paths.unsafeReason(out.path) {
                    throw CairnError("\(shown): stage \(Paths.quoted(name)): unsafe output: \(reason)")
                }
                let dataPath = LockPaths.repoPath(out.path, lockDirectory: directory)
                let base = Paths.basename(dataPath)
                // An output that would overwrite the lock or a pointer is a record file, not data.
                if base == PipelineLock.fileName || base.hasSuffix(PointerFile.suffix) {
                    throw CairnError("\(shown): stage \(Paths.quoted(name)): output '\(Paths.quoted(out.path))' names a"
                        + " cairn record file, not data")
                }
                // Two stages writing one path is refused by repro; a lock that says so anyway keeps the first.
                guard seen.insert(PathKey(dataPath)).inserted else { continue }
                let pointer = PointerFile(path: base, type: out.type, id: out.id, size: out.size,
                                          executable: out.type == .file && out.executable,
                                          files: out.type == .directory ? out.files ?? 0 : 0)
                result.append(TrackedData(pointerPath: lockPath, dataPath: dataPath, pointer: pointer,
                                          stage: display, push: out.push))
            }
        }
        return result
    }
}
