import Basics

extension StageGraph {
    /// Resolves `repro`/`dag` targets to stages, each target in turn (duplicates dropped, first mention kept):
    /// - `FILE:NAME` (`models/cairn.yaml:train`, or `models:train`, FILE relative to `cwd`): a stage or group there;
    /// - a stage or group name: in the pipeline of `cwd` first, else in the one pipeline that has it (a name found in
    ///   several pipelines is an error listing them);
    /// - a path relative to `cwd`: a cairn.yaml, or a directory holding one (all its stages); an output, or a path
    ///   inside one (its producer); a directory holding outputs (their producers).
    /// `cwd` is repo-relative ("" at the root). An unknown target is an error.
    public func resolve(targets: [String], cwd: String) throws -> [StageID] {
        var result: [StageID] = []
        var seen = Set<StageID>()
        for target in targets {
            for id in try resolve(target, cwd: cwd) where seen.insert(id).inserted { result.append(id) }
        }
        return result
    }

    private func resolve(_ target: String, cwd: String) throws -> [StageID] {
        if target.isEmpty { throw CairnError("'': an empty target names no stage") }
        if let colon = target.lastIndex(of: ":") {
            let filePart = String(target[..<colon]), name = String(target[target.index(after: colon)...])
            let dir = filePart.isEmpty ? cwd : try Self.repoPath(filePart, cwd: cwd, target: target)
            let file = Paths.basename(dir) == PipelineParser.fileName ? dir : Paths.join(dir, PipelineParser.fileName)
            guard let p = pipelineIndex(file) else {
                throw CairnError("\(file): no such pipeline (in target '\(Paths.quoted(target))')")
            }
            guard let found = members(named: name, in: p) else {
                throw CairnError("\(file): no stage or group named '\(Paths.quoted(name))' (see 'cairn stage list')")
            }
            return found
        }
        if !target.contains("/") {
            if let p = pipelineIndex(Paths.join(cwd, PipelineParser.fileName)), let found = members(named: target, in: p) {
                return found
            }
            let candidates = pipelines.indices.compactMap { p in members(named: target, in: p).map { (p, $0) } }
            if candidates.count == 1 { return candidates[0].1 }
            if candidates.count > 1 {
                let names = candidates.map { pipelines[$0.0].path + ":" + target }
                throw CairnError("'\(Paths.quoted(target))': several pipelines have a stage or group of that name: \(names.joined(separator: ", ")); name one as FILE:NAME")
            }
        }
        let path = try Self.repoPath(target, cwd: cwd, target: target)
        let pipelineFile = Paths.basename(path) == PipelineParser.fileName ? path : Paths.join(path, PipelineParser.fileName)
        if let p = pipelineIndex(pipelineFile) {
            return ids.indices.filter { pipelineOfNode[$0] == p }.map { ids[$0] }
        }
        if !path.isEmpty, let owner = outputs.owner(ofPathOrAncestor: path) { return [ids[owner.node]] }
        let inside = Set(outputs.outputs(inside: path).map(\.node))
        if !inside.isEmpty { return inside.sorted { position[$0] < position[$1] }.map { ids[$0] } }
        throw CairnError("'\(Paths.quoted(target))': no stage, group, pipeline or output of that name (see 'cairn stage list --all')")
    }

    /// The stage `name` or the members of the group `name` in pipeline `p`, in file order; nil when neither exists.
    private func members(named name: String, in p: Int) -> [StageID]? {
        let file = pipelines[p]
        if file.stages.contains(where: { Paths.sameBytes($0.name, name) }) { return [StageID(pipelinePath: file.path, name: name)] }
        if let group = file.groups.first(where: { Paths.sameBytes($0.key, name) })?.value {
            return group.map { StageID(pipelinePath: file.path, name: $0) }
        }
        return nil
    }

    private func pipelineIndex(_ path: String) -> Int? {
        pipelines.firstIndex { Paths.sameBytes($0.path, path) }
    }

    /// `written` relative to the repo-relative `cwd`, normalised lexically; refused when it leaves the repository.
    static func repoPath(_ written: String, cwd: String, target: String) throws -> String {
        if written.hasPrefix("/") {
            throw CairnError("'\(Paths.quoted(target))': absolute paths are not targets; give a path relative to the current directory")
        }
        var parts: [Substring] = cwd.split(separator: "/")
        for part in written.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !parts.isEmpty else { throw CairnError("'\(Paths.quoted(target))': the path leaves the repository") }
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    /// What `repro` considers, in `order`: the targets and all their upstream (default), only the targets
    /// (`singleItem`), or the targets and all their downstream (`downstream`). No targets means every stage.
    /// As in DVC, a frozen stage cuts the graph: the stages it reads from are not reached through it (upstream), and
    /// it is not reached from them (downstream); the frozen stage itself is included when reached or named.
    public func selection(of targets: [StageID], singleItem: Bool, downstream goingDown: Bool) -> [StageID] {
        if targets.isEmpty { return order }
        let starts = targets.map(node)
        let chosen: Set<Int>
        if singleItem {
            chosen = Set(starts)
        } else if goingDown {
            let active = downstream.map { $0.filter { !stages[$0].frozen } }
            chosen = Self.reachable(from: starts, edges: active)
        } else {
            chosen = Self.reachable(from: starts, edges: upstream) { stages[$0].frozen }
        }
        return chosen.sorted { position[$0] < position[$1] }.map { ids[$0] }
    }

    /// Repo paths of deps of `ids` that do not exist and that no stage produces (nothing could make them), in the
    /// order of `ids` and of each stage's deps. `exists` gets a repo path.
    public func missingDependencies(of ids: [StageID], exists: (String) -> Bool) -> [(stage: StageID, path: String)] {
        var missing: [(stage: StageID, path: String)] = []
        for id in ids {
            for dep in stages[node(id)].deps where outputs.producers(of: dep.repoPath).isEmpty && !exists(dep.repoPath) {
                missing.append((id, dep.repoPath))
            }
        }
        return missing
    }

    /// All upstream stages of `ids` (the stages included), in `order`; unlike `selection`, frozen stages do not cut
    /// the graph (this is what `cairn dag TARGET` draws).
    public func upstreamClosure(of ids: [StageID]) -> [StageID] {
        Self.reachable(from: ids.map(node), edges: upstream).sorted { position[$0] < position[$1] }.map { self.ids[$0] }
    }
}
