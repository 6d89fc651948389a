extension DagDrawing {
    /// The terminal drawing: a tree per source (a node nothing feeds), data flowing down and right.
    ///
    ///     prepare
    ///     ├─→ featurize → train
    ///     │   ├─→ evaluate
    ///     │   └─→ export
    ///     └─→ report
    ///
    /// A line is a chain (each stage the only reader of the one before it), so a 30-stage chain does not indent 30
    /// levels; the branches below a line hang from its last stage. A stage fed by several others is drawn under the
    /// first of them and named again, marked "(see above)", under the others, so every edge is visible and no
    /// subtree is drawn twice. Chains stop growing at `width` columns.
    public func text(width: Int = 100) -> String {
        guard !nodes.isEmpty else { return "" }
        var children = [[Int]](repeating: [], count: nodes.count)
        var hasParent = [Bool](repeating: false, count: nodes.count)
        for edge in edges {
            children[edge.from].append(edge.to)
            hasParent[edge.to] = true
        }
        for i in children.indices { children[i].sort() }
        var drawn = [Bool](repeating: false, count: nodes.count)
        var trees: [[String]] = []

        // Iterative, so a long graph cannot overflow the stack: each frame is a node to draw with its prefixes.
        struct Pending { var node: Int; var lead: String; var indent: String }
        for root in nodes.indices where !hasParent[root] {
            var lines: [String] = []
            var stack = [Pending(node: root, lead: "", indent: "")]
            while let item = stack.popLast() {
                if drawn[item.node] {
                    lines.append(item.lead + nodes[item.node] + " (see above)")
                    continue
                }
                drawn[item.node] = true
                var line = item.lead + nodes[item.node]
                var last = item.node
                while children[last].count == 1, let next = children[last].first, !drawn[next],
                      (line + " → " + nodes[next]).count <= width {
                    line += " → " + nodes[next]
                    drawn[next] = true
                    last = next
                }
                lines.append(line)
                let kids = children[last]
                for (i, kid) in kids.enumerated().reversed() {
                    let isLast = i == kids.count - 1
                    stack.append(Pending(node: kid, lead: item.indent + (isLast ? "└─→ " : "├─→ "),
                                         indent: item.indent + (isLast ? "    " : "│   ")))
                }
            }
            trees.append(lines)
        }
        let separator = trees.contains { $0.count > 1 } ? "\n\n" : "\n"
        return trees.map { $0.joined(separator: "\n") }.joined(separator: separator)
    }
}
