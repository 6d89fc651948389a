import Basics

/// Every output of every stage, indexed by repo path, so "who writes this path" and "which outputs are inside this
/// directory" are dictionary lookups over a path's ancestors rather than a scan of all outputs (a 500-stage pipeline
/// is built on every `status`). Building it refuses duplicate and overlapping outputs.
struct OutputIndex: Sendable {
    struct Owner: Sendable { var node: Int, path: String }
    /// Output repo path → the stage writing it.
    private var exact: [PathKey: Owner] = [:]
    /// Directory → the outputs strictly below it (only directories that are ancestors of some output).
    private var below: [PathKey: [Owner]] = [:]

    init(stages: [Stage], ids: [StageID]) throws {
        for (n, stage) in stages.enumerated() {
            for out in stage.outs {
                let path = out.path.repoPath
                if let other = exact[PathKey(path)] {
                    let file = ids[other.node].pipelinePath
                    if other.node == n {
                        throw CairnError("\(file): stage '\(ids[n].display)' lists the output '\(path)' twice")
                    }
                    throw CairnError("\(file): the output '\(path)' is written by two stages: '\(ids[other.node].display)' and '\(ids[n].display)'; each path has one producer")
                }
                exact[PathKey(path)] = Owner(node: n, path: path)
            }
        }
        // Checked once all outputs are known, so the message does not depend on which one came first.
        for owner in exact.values.sorted(by: { PathKey($0.path) < PathKey($1.path) }) {
            for ancestor in Self.ancestors(of: owner.path) {
                if let outer = exact[PathKey(ancestor)] {
                    let file = ids[outer.node].pipelinePath
                    throw CairnError("\(file): the outputs overlap: '\(owner.path)' (stage '\(ids[owner.node].display)') is inside '\(outer.path)' (stage '\(ids[outer.node].display)'); an output directory belongs to one stage as a whole")
                }
                below[PathKey(ancestor), default: []].append(owner)
            }
        }
    }

    /// Refuses an output that is pointer-tracked data, lies inside it, or contains it: both cairn.lock and the
    /// pointer file would claim the same bytes, and `repro` would delete tracked data before running.
    func checkTrackedData(_ tracked: [String], ids: [StageID]) throws {
        for data in tracked.sorted(by: Paths.bytewiseLess) {
            if let owner = exact[PathKey(data)] {
                throw CairnError("\(ids[owner.node].pipelinePath): the output '\(owner.path)' of stage '\(ids[owner.node].display)' is pointer-tracked data ('\(data).cairn'); a path is tracked by a pointer file or by a stage, not both")
            }
            if let owner = ownerOfAncestor(data) {
                throw CairnError("\(ids[owner.node].pipelinePath): the output '\(owner.path)' of stage '\(ids[owner.node].display)' contains pointer-tracked data '\(data)'; a path is tracked by a pointer file or by a stage, not both")
            }
            if let inside = below[PathKey(data)]?.first {
                throw CairnError("\(ids[inside.node].pipelinePath): the output '\(inside.path)' of stage '\(ids[inside.node].display)' is inside pointer-tracked data '\(data)'; a path is tracked by a pointer file or by a stage, not both")
            }
        }
    }

    /// Refuses a cairn.yaml or cairn.lock inside an output: running the stage would delete its own pipeline.
    func checkPipelineFiles(_ pipelinePaths: [String], ids: [StageID]) throws {
        for path in pipelinePaths {
            let lock = Paths.join(Paths.parent(path), PipelineLock.fileName)
            for file in [path, lock] {
                if let owner = owner(ofPathOrAncestor: file) {
                    throw CairnError("\(path): '\(file)' is inside the output '\(owner.path)' of stage '\(ids[owner.node].display)'; running the stage would delete it")
                }
            }
        }
    }

    /// The output equal to `path` or containing it.
    func owner(ofPathOrAncestor path: String) -> Owner? {
        exact[PathKey(path)] ?? ownerOfAncestor(path)
    }

    private func ownerOfAncestor(_ path: String) -> Owner? {
        for ancestor in Self.ancestors(of: path) { if let owner = exact[PathKey(ancestor)] { return owner } }
        return nil
    }

    /// The outputs a dep on `path` reads: the one equal to it or containing it, else all those inside it.
    func producers(of path: String) -> [Owner] {
        if let owner = owner(ofPathOrAncestor: path) { return [owner] }
        return below[PathKey(path)] ?? []
    }

    /// Outputs strictly inside the directory `path`.
    func outputs(inside path: String) -> [Owner] { below[PathKey(path)] ?? [] }

    /// "a/b/c" → ["a/b", "a"].
    static func ancestors(of path: String) -> [String] {
        var result: [String] = []
        var current = Paths.parent(path)
        while !current.isEmpty && current != "/" {
            result.append(current)
            current = Paths.parent(current)
        }
        return result
    }
}
