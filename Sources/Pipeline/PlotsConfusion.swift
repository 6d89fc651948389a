import Basics

extension PlotSVG {
    /// More classes than this would make cells too small to read; the page says so instead.
    static let maxClasses = 60

    /// Confusion matrix of one series: columns are the x field's classes (DVC's `actual`), rows the y field's
    /// (`predicted`); each cell counts the records with that pair, or with `confusion_normalized` the share of its
    /// column (of everything actually in that class).
    static func confusion(_ s: PlotSeries, plot: LoadedPlot, label: String) -> String {
        let normalized = plot.spec.template == "confusion_normalized"
        var classes: [String] = []
        var known = Set<String>()
        var counts: [String: Int] = [:]
        var columnTotals: [String: Int] = [:]
        for p in s.points {
            let a = MetricsFormatting.text(p.x), b = MetricsFormatting.text(p.y)
            for c in [a, b] where known.insert(c).inserted { classes.append(c) }
            counts[a + "\u{0}" + b, default: 0] += 1
            columnTotals[a, default: 0] += 1
        }
        guard classes.count <= maxClasses else {
            let note = "\(label): \(classes.count) classes; confusion matrices are drawn for at most \(maxClasses)"
            return "<p class=\"note\">" + HTMLText.escape(note) + "</p>"
        }
        classes.sort { a, b in
            if let x = Double(a), let y = Double(b) { return x < y }
            return a < b
        }
        let gridLeft = 140.0, gridTop = top + 20
        let cell = min(48.0, (width - gridLeft - right) / Double(max(classes.count, 1)))
        let gridSize = cell * Double(classes.count)
        func value(_ a: String, _ b: String) -> Double {
            let c = Double(counts[a + "\u{0}" + b] ?? 0)
            return normalized ? c / Double(max(columnTotals[a] ?? 1, 1)) : c
        }
        var maxValue = 0.0
        for a in classes { for b in classes { maxValue = max(maxValue, value(a, b)) } }

        // As wide as the matrix, so the matrices of several revisions sit side by side.
        var svg = SVGWriter(width: max(gridLeft + gridSize + 24, 260), height: gridTop + gridSize + 56, label: plot.spec.title + " " + label)
        svg.text(label, x: gridLeft, y: top + 4, extra: [("font-weight", .text("bold"))])
        for (col, a) in classes.enumerated() {
            for (row, b) in classes.enumerated() {
                let v = value(a, b)
                let shade = maxValue > 0 ? v / maxValue : 0
                // White to the palette's blue (31, 119, 180).
                let fill = "rgb(\(Int(255 - shade * 224)),\(Int(255 - shade * 136)),\(Int(255 - shade * 75)))"
                let x = gridLeft + Double(col) * cell, y = gridTop + Double(row) * cell
                let text = normalized ? MetricsFormatting.float(v, precision: 2) : String(Int(v))
                svg.element("rect", [("x", .number(x)), ("y", .number(y)), ("width", .number(cell)), ("height", .number(cell)),
                                     ("fill", .text(fill)), ("stroke", .text("#fff"))],
                            tooltip: "\(s.xField)=\(a), \(s.yField)=\(b): \(text)")
                if cell >= 18 {
                    svg.text(text, x: x + cell / 2, y: y + cell / 2 + 4, anchor: "middle",
                             extra: [("fill", .text(shade > 0.6 ? "#fff" : "#000"))])
                }
            }
        }
        for (i, c) in classes.enumerated() {
            let short = String(c.prefix(16))
            svg.text(short, x: gridLeft - 6, y: gridTop + (Double(i) + 0.5) * cell + 4, anchor: "end")
            svg.text(short, x: gridLeft + (Double(i) + 0.5) * cell, y: gridTop + gridSize + 14, anchor: "middle")
        }
        svg.text(plot.spec.xLabel ?? s.xField, x: gridLeft + gridSize / 2, y: gridTop + gridSize + 34, anchor: "middle")
        svg.verticalText(plot.spec.yLabel ?? s.yField, x: 14, y: gridTop + gridSize / 2)
        return svg.close()
    }
}
