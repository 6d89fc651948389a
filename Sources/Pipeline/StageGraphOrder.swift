extension StageGraph {
    /// A depth-first post-order over "depends on" edges, starting from each node in base order and visiting a node's
    /// upstream in base order: every stage comes after everything it reads, and independent stages keep the order
    /// in which they are written (as DVC plans). Iterative, so a 10,000-stage chain cannot overflow the stack.
    /// A cycle is reported through `cycleError` with its nodes in data-flow order, the first repeated at the end.
    static func topologicalOrder(upstream: [[Int]], cycleError: ([Int]) -> Error) throws -> [Int] {
        enum Mark { case unvisited, inProgress, done }
        var marks = [Mark](repeating: .unvisited, count: upstream.count)
        var order: [Int] = []
        order.reserveCapacity(upstream.count)
        for root in upstream.indices where marks[root] == .unvisited {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            marks[root] = .inProgress
            while let top = stack.last {
                let ups = upstream[top.node]
                if top.next == ups.count {
                    stack.removeLast()
                    marks[top.node] = .done
                    order.append(top.node)
                    continue
                }
                stack[stack.count - 1].next += 1
                let up = ups[top.next]
                switch marks[up] {
                case .done: continue
                case .unvisited:
                    marks[up] = .inProgress
                    stack.append((up, 0))
                case .inProgress:
                    // The stack from `up` to the top is a chain of "depends on" edges back to `up`: reversed, it is
                    // the order in which data flows around the cycle.
                    let start = stack.firstIndex { $0.node == up }!
                    let chain = stack[start...].map(\.node)
                    throw cycleError([up] + chain.dropFirst().reversed() + [up])
                }
            }
        }
        return order
    }

    /// Nodes reachable from `starts` by following `edges` (the starts included). Stops at nodes for which `stop`
    /// holds (they are included, what lies beyond them is not).
    static func reachable(from starts: [Int], edges: [[Int]], stop: (Int) -> Bool = { _ in false }) -> Set<Int> {
        var seen = Set(starts)
        var pending = starts
        while let n = pending.popLast() {
            if stop(n) { continue }
            for next in edges[n] where seen.insert(next).inserted { pending.append(next) }
        }
        return seen
    }
}
