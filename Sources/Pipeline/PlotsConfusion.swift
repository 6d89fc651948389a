import Basics

extension PlotSVG {
    /// Confusion matrix of one series: columns are the x field's classes (DVC's `actual`), rows the y field's
    /// (`predicted`); each cell counts the records with that pair, or with `confusion_normalized` the share of its
    /// column (of everything actually in that class).
    static let maxClasses = 60

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
            return "<p class=\"note\">" + HTMLText.escape("\(label): \(classes.count) classes; confusion matrices are drawn for at most \(maxClasses)") + "</p>"
        }
        classes.sort { a, b in
            if let x = Double(a), let y = Double(b) { return x < y }
            return a < b
        }
        let cell = min(48.0, (width - 140 - right) / Double(max(classes.count, 1)))
        let gridLeft = 140.0, gridTop = top + 20
        let gridSize = cell * Double(classes.count)
        let height = gridTop + gridSize + 56
        var out = open(height: height, title: plot.spec.title + " " + label)
        out += "<text x=\"\(n(gridLeft))\" y=\"\(n(top + 4))\" font-weight=\"bold\">\(HTMLText.escape(label))</text>"
        var maxValue = 0.0
        func value(_ a: String, _ b: String) -> Double {
            let c = Double(counts[a + "\u{0}" + b] ?? 0)
            return normalized ? c / Double(max(columnTotals[a] ?? 1, 1)) : c
        }
        for a in classes { for b in classes { maxValue = max(maxValue, value(a, b)) } }
        for (col, a) in classes.enumerated() {
            for (row, b) in classes.enumerated() {
                let v = value(a, b)
                let shade = maxValue > 0 ? v / maxValue : 0
                let r = Int(255 - shade * (255 - 31)), g = Int(255 - shade * (255 - 119)), bl = Int(255 - shade * (255 - 180))
                let x = gridLeft + Double(col) * cell, y = gridTop + Double(row) * cell
                let text = normalized ? MetricsFormatting.float(v, precision: 2) : String(Int(v))
                out += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(cell))\" height=\"\(n(cell))\" fill=\"rgb(\(r),\(g),\(bl))\" stroke=\"#fff\">"
                    + "<title>\(HTMLText.escape("\(s.xField)=\(a), \(s.yField)=\(b): \(text)"))</title></rect>"
                if cell >= 18 {
                    out += "<text x=\"\(n(x + cell / 2))\" y=\"\(n(y + cell / 2 + 4))\" text-anchor=\"middle\" fill=\"\(shade > 0.6 ? "#fff" : "#000")\">\(text)</text>"
                }
            }
        }
        for (i, c) in classes.enumerated() {
            let short = HTMLText.escape(String(c.prefix(16)))
            out += "<text x=\"\(n(gridLeft - 6))\" y=\"\(n(gridTop + (Double(i) + 0.5) * cell + 4))\" text-anchor=\"end\">\(short)</text>"
            out += "<text x=\"\(n(gridLeft + (Double(i) + 0.5) * cell))\" y=\"\(n(gridTop + gridSize + 14))\" text-anchor=\"middle\">\(short)</text>"
        }
        out += "<text x=\"\(n(gridLeft + gridSize / 2))\" y=\"\(n(gridTop + gridSize + 34))\" text-anchor=\"middle\">"
            + HTMLText.escape(plot.spec.xLabel ?? s.xField) + "</text>"
        out += "<text transform=\"translate(14 \(n(gridTop + gridSize / 2))) rotate(-90)\" text-anchor=\"middle\">"
            + HTMLText.escape(plot.spec.yLabel ?? s.yField) + "</text>"
        return out + "</svg>"
    }
}
