import Basics

// TEMPORARY stand-in for the graph helper's StageGraph (contract API only, minimal validation). Deleted when
// branch `graph` is merged.
public struct StageID: Hashable, Comparable, Sendable {
    public var pipelinePath: String
    public var name: String
    public var display: String { pipelinePath == "cairn.yaml" ? name : pipelinePath + ":" + name }
    public var lockPath: String {
        let dir = Paths.parent(pipelinePath)
        return dir.isEmpty ? "cairn.lock" : dir + "/cairn.lock"
    }
    public init(pipelinePath: String, name: String) { self.pipelinePath = pipelinePath; self.name = name }
    public static func < (a: StageID, b: StageID) -> Bool { (a.pipelinePath, a.name) < (b.pipelinePath, b.name) }
}

public struct StageGraph: Sendable {
    private var pipelines: [String: PipelineFile] = [:]
    private var stages: [StageID: Stage] = [:]
    private var upstream: [StageID: [StageID]] = [:]
    private var downstream: [StageID: [StageID]] = [:]
    public var order: [StageID] = []

    public static func build(pipelines: [PipelineFile], trackedDataPaths: [String]) throws -> StageGraph {
        var g = StageGraph()
        var all: [StageID] = []
        var producers: [(String, StageID)] = []
        for p in pipelines {
            g.pipelines[p.path] = p
            for s in p.stages {
                let id = StageID(pipelinePath: p.path, name: s.name)
                g.stages[id] = s
                all.append(id)
                for o in s.outs {
                    if let other = producers.first(where: { $0.0 == o.path.repoPath }) {
                        throw CairnError("output '\(o.path.repoPath)' is specified in stages '\(other.1.display)' and '\(id.display)'")
                    }
                    for (path, owner) in producers where path.hasPrefix(o.path.repoPath + "/") || o.path.repoPath.hasPrefix(path + "/") {
                        throw CairnError("outputs '\(path)' (\(owner.display)) and '\(o.path.repoPath)' (\(id.display)) overlap")
                    }
                    for t in trackedDataPaths where t == o.path.repoPath || o.path.repoPath.hasPrefix(t + "/") || t.hasPrefix(o.path.repoPath + "/") {
                        throw CairnError("output '\(o.path.repoPath)' of stage '\(id.display)' is pointer-tracked data '\(t)'")
                    }
                    producers.append((o.path.repoPath, id))
                }
            }
        }
        for id in all {
            var ups: [StageID] = []
            for d in g.stages[id]!.deps {
                for (path, owner) in producers where path == d.repoPath || d.repoPath.hasPrefix(path + "/") || path.hasPrefix(d.repoPath + "/") {
                    if !ups.contains(owner) { ups.append(owner) }
                }
            }
            g.upstream[id] = ups
            for u in ups { g.downstream[u, default: []].append(id) }
        }
        // Kahn, in definition order.
        var indegree = Dictionary(uniqueKeysWithValues: all.map { ($0, g.upstream[$0]!.count) })
        var ready = all.filter { indegree[$0] == 0 }
        while !ready.isEmpty {
            let next = ready.removeFirst()
            g.order.append(next)
            for d in g.downstream[next] ?? [] {
                indegree[d]! -= 1
                if indegree[d] == 0 { ready.append(d) }
            }
        }
        if g.order.count != all.count {
            let stuck = all.filter { !g.order.contains($0) }.map(\.display).joined(separator: ", ")
            throw CairnError("the pipeline has a cycle through stages: \(stuck)")
        }
        return g
    }

    public func stage(_ id: StageID) -> Stage { stages[id]! }
    public func pipeline(_ id: StageID) -> PipelineFile { pipelines[id.pipelinePath]! }
    public func dependencies(of id: StageID) -> [StageID] { upstream[id] ?? [] }
    public func dependents(of id: StageID) -> [StageID] { downstream[id] ?? [] }
    public func producer(of repoPath: String) -> StageID? {
        order.first { id in stages[id]!.outs.contains { $0.path.repoPath == repoPath || repoPath.hasPrefix($0.path.repoPath + "/") } }
    }

    public func resolve(targets: [String], cwd: String) throws -> [StageID] {
        var out: [StageID] = []
        for t in targets {
            if t.hasSuffix("cairn.yaml") { out += order.filter { $0.pipelinePath == t }; continue }
            let parts = t.split(separator: ":", maxSplits: 1).map(String.init)
            let file = parts.count == 2 ? parts[0] : nil
            let name = parts.count == 2 ? parts[1] : t
            let hits = order.filter { id in
                (file == nil || id.pipelinePath == file) && (id.name == name || stages[id]!.group == name)
            }
            if hits.isEmpty {
                if let p = producer(of: t) { out.append(p); continue }
                throw CairnError("'\(t)': no such stage or output")
            }
            out += hits
        }
        return out
    }

    public func selection(of targets: [StageID], singleItem: Bool, downstream: Bool) -> [StageID] {
        if targets.isEmpty { return order }
        var chosen = Set(targets)
        if !singleItem {
            var pending = targets
            while let next = pending.popLast() {
                for n in downstream ? dependents(of: next) : dependencies(of: next) where !chosen.contains(n) {
                    chosen.insert(n); pending.append(n)
                }
            }
        }
        return order.filter { chosen.contains($0) }
    }

    public func missingDependencies(of ids: [StageID], exists: (String) -> Bool) -> [(stage: StageID, path: String)] {
        var out: [(stage: StageID, path: String)] = []
        for id in ids {
            for d in stages[id]!.deps where !exists(d.repoPath) && producer(of: d.repoPath) == nil {
                out.append((id, d.repoPath))
            }
        }
        return out
    }
}
