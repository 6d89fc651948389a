import Basics
import GitBridge
import Lineage
import Workspace

/// `cairn lineage OUT` for pipeline outputs: the runs that produced a version and the versions they read,
/// recursively (upstream), or every output ever derived from a version on any branch, transitively (downstream).
/// The answer is a graph (versions, runs, and which run read and wrote which version) that the command renders as
/// text, JSON or DOT. Only successful runs count: what a failed run wrote was not derived from anything.
public enum RunLineageQuery {
    public struct VersionRef: Codable, Sendable, Hashable {
        public var path: String
        public var id: String

        public init(path: String, id: String) {
            self.path = path
            self.id = id
        }
    }

    public struct Version: Codable, Sendable {
        public var path: String
        public var id: String
        /// The commit that introduced this version as pointer-tracked data, when it is (lock outputs have their
        /// run's commit instead).
        public var commit: String?
        /// Distance in runs from the asked-for version (0: itself).
        public var depth: Int
    }

    public struct Run: Codable, Sendable {
        public var id: Int64
        public var stage: String
        public var command: String
        public var lockPath: String
        /// The commit whose cairn.lock holds the run's entry; nil while pending (run, not committed yet).
        public var commit: String?
        /// HEAD when the run started (recorded runs).
        public var head: String?
        public var startedAt: Int64
        public var finishedAt: Int64?
        public var exitCode: Int32?
        public var restoredFromRunCache: Bool
        /// `recorded` (written as it ran) or `lock` (read back from a committed cairn.lock).
        public var origin: String
        public var params: ParamsJSON
        public var cairnVersion: String?
        public var os: String?
        public var machine: String?
        /// RunEnvironment (schema 3), written into JSON as the object it is; nil when not recorded.
        public var environment: ParamsJSON?
        public var inputs: [VersionRef]
        public var outputs: [VersionRef]

        enum CodingKeys: String, CodingKey {
            case id, stage, command, lockPath = "lock", commit, head, startedAt = "started_at"
            case finishedAt = "finished_at", exitCode = "exit_code", restoredFromRunCache = "restored_from_run_cache"
            case origin, params, cairnVersion = "cairn_version", os, machine, environment, inputs, outputs
        }
    }

    public struct Report: Codable, Sendable {
        public var version: VersionRef
        public var direction: String
        /// Every version in the answer with its distance (in runs) from the asked-for one, nearest first.
        public var versions: [Version]
        /// Every run in the answer, nearest first.
        public var runs: [Run]

        public init(version: VersionRef, direction: String, versions: [Version], runs: [Run]) {
            self.version = version
            self.direction = direction
            self.versions = versions
            self.runs = runs
        }
    }

    /// Walks from `key`. `depth` counts runs: 1 = the runs that produced it (or read it) and their inputs (or
    /// outputs); nil = all the way.
    public static func run(store: LineageStore, key: VersionKey, downstream: Bool, depth: Int?,
                           maxRuns: Int = 10_000) throws -> Report {
        var versions: [Version] = [try describe(key, depth: 0, store: store)]
        var seenVersions: Set<VersionKey> = [key]
        var runs: [Run] = []
        var seenRuns = Set<Int64>()
        var frontier = [key]
        var level = 0
        while !frontier.isEmpty, depth.map({ level < $0 }) ?? true, runs.count < maxRuns {
            level += 1
            var next: [VersionKey] = []
            for current in frontier {
                let found = downstream ? try store.runs(consuming: current) : try store.runs(producing: current)
                for record in found where record.status == .succeeded {
                    guard let id = record.id, seenRuns.insert(id).inserted else { continue }
                    runs.append(describe(record))
                    for other in downstream ? record.outputs : record.inputs where seenVersions.insert(other).inserted {
                        versions.append(try describe(other, depth: level, store: store))
                        next.append(other)
                    }
                }
            }
            frontier = next
        }
        return Report(version: ref(key), direction: downstream ? "downstream" : "upstream", versions: versions,
                      runs: runs)
    }

    static func ref(_ key: VersionKey) -> VersionRef { VersionRef(path: key.path, id: key.objectID.prefixed) }

    static func describe(_ key: VersionKey, depth: Int, store: LineageStore) throws -> Version {
        Version(path: key.path, id: key.objectID.prefixed, commit: try store.introduction(of: key)?.commitSha,
                depth: depth)
    }

    static func describe(_ run: RunRecord) -> Run {
        Run(id: run.id ?? 0, stage: run.stage, command: run.command, lockPath: run.lockPath, commit: run.commitSha,
            head: run.headSha, startedAt: run.startedAt, finishedAt: run.finishedAt, exitCode: run.exitCode,
            restoredFromRunCache: run.restoredFromRunCache, origin: run.origin.rawValue,
            params: ParamsJSON(text: run.paramsJSON), cairnVersion: run.cairnVersion, os: run.os,
            machine: run.machine, environment: run.environmentJSON.map(ParamsJSON.init(text:)),
            inputs: run.inputs.map(ref), outputs: run.outputs.map(ref))
    }
}

/// A run's params values, written into JSON output as the object they are (stored as canonical JSON text).
public struct ParamsJSON: Codable, Sendable {
    public var text: String

    public init(text: String) { self.text = text }

    public init(from decoder: Decoder) throws {
        text = "{}"
    }

    public func encode(to encoder: Encoder) throws {
        let value = (try? JSONReader.parse(text, file: "params")) ?? .map(ParamMap())
        try JSONValue(value: value).encode(to: encoder)
    }

    /// `file: key=value, …` for text output.
    public var summary: String {
        guard case .map(let files)? = try? JSONReader.parse(text, file: "params") else { return "" }
        return files.entries.map { file, values -> String in
            guard case .map(let map) = values else { return file }
            return "\(file): " + map.entries.map { "\($0.key)=\($0.value.interpolationText)" }.joined(separator: ", ")
        }.joined(separator: "; ")
    }
}

/// A ParamValue as JSON through Codable (keys in the stored, sorted order).
struct JSONValue: Encodable {
    let value: ParamValue

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: Encoder) throws {
        switch value {
        case .map(let map):
            var container = encoder.container(keyedBy: Key.self)
            for (key, item) in map.entries { try container.encode(JSONValue(value: item), forKey: Key(stringValue: key)) }
        case .list(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(JSONValue(value: item)) }
        default:
            var container = encoder.singleValueContainer()
            switch value {
            case .null: try container.encodeNil()
            case .bool(let b): try container.encode(b)
            case .int(let i): try container.encode(i)
            case .float(let d): d.isFinite ? try container.encode(d) : try container.encode(ParamValue.pythonFloat(d))
            case .string(let s): try container.encode(s)
            default: break
            }
        }
    }
}
