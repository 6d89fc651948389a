import Basics

/// Draws a loaded plot as inline SVG (no script, no network): lines for linear/simple/smooth, points for
/// scatter, horizontal bars for bar_horizontal(_sorted), a heat map with counts for confusion(_normalized).
/// Markup is built through `SVGWriter`, which escapes every string taken from a file.
public enum PlotSVG {
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                          "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
    static let width = 640.0, plotHeight = 360.0
    static let left = 64.0, right = 16.0, top = 16.0, bottom = 48.0
    /// Above this many points a series draws no per-point markers or tooltips (keeps the page small).
    static let maxMarkers = 2_000

    public static func render(_ plot: LoadedPlot) -> String {
        let series = plot.series.filter { !$0.points.isEmpty }
        if series.isEmpty { return "" }
        if plot.isConfusion {
            return series.map { confusion($0, plot: plot, label: label($0, in: series)) }.joined(separator: "\n")
        }
        if plot.spec.template.hasPrefix("bar_horizontal") { return bars(series, plot: plot) }
        return xy(series, plot: plot)
    }

    /// What distinguishes a series from the others in the legend: the revision, file and field that vary.
    static func label(_ s: PlotSeries, in all: [PlotSeries]) -> String {
        var parts: [String] = []
        if Set(all.map(\.revision)).count > 1 { parts.append(s.revision) }
        if Set(all.map(\.file)).count > 1 { parts.append(s.file) }
        if Set(all.map(\.yField)).count > 1 || parts.isEmpty { parts.append(s.yField) }
        return parts.joined(separator: " · ")
    }

    /// Round tick values covering lo...hi (1, 2 or 5 times a power of ten apart).
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        let span = hi - lo
        guard span > 0, span.isFinite else { return [lo] }
        var step = 1.0
        while step * 10 <= span / Double(count) { step *= 10 }
        while step > span / Double(count) { step /= 10 }
        for m in [1.0, 2.0, 5.0, 10.0] where step * m >= span / Double(count) { step *= m; break }
        var out: [Double] = []
        var v = (lo / step).rounded(.up) * step
        while v <= hi + step * 1e-9 && out.count < 50 { out.append(abs(v) < step * 1e-9 ? 0 : v); v += step }
        return out
    }

    /// The range widened to the ticks just outside it, so lines do not touch the frame.
    static func nice(_ r: (Double, Double)) -> (Double, Double) {
        let t = ticks(r.0, r.1)
        guard t.count >= 2 else { return r }
        let step = t[1] - t[0]
        return ((r.0 / step).rounded(.down) * step, (r.1 / step).rounded(.up) * step)
    }

    static func tickText(_ v: Double) -> String {
        let s = MetricsFormatting.float(v, precision: 6)
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }

    static func range(_ values: [Double]) -> (Double, Double) {
        guard var lo = values.min(), var hi = values.max() else { return (0, 1) }
        if lo == hi { let pad = lo == 0 ? 1 : abs(lo) * 0.1; lo -= pad; hi += pad }
        return (lo, hi)
    }

    static func legend(_ labels: [String], y: Double, into svg: inout SVGWriter) {
        for (i, text) in labels.enumerated() {
            let ly = y + Double(i) * 16
            svg.element("rect", [("x", .number(left)), ("y", .number(ly - 9)), ("width", .number(10)), ("height", .number(10)),
                                 ("fill", .text(palette[i % palette.count]))])
            svg.text(text, x: left + 16, y: ly)
        }
    }

    /// Lines and/or points; x is numeric when every x value is a number, else categories in first-seen order.
    static func xy(_ series: [PlotSeries], plot: LoadedPlot) -> String {
        let template = plot.spec.template
        let drawLine = template != "scatter" && template != "scatter_jitter"
        let drawMarkers = !(template == "simple" || template == "smooth")
        let numericX = series.allSatisfy { $0.points.allSatisfy { $0.x.numeric != nil } }
        var categories: [String] = []
        var categoryIndex: [String: Int] = [:]
        if !numericX {
            for s in series {
                for p in s.points where categoryIndex[MetricsFormatting.text(p.x)] == nil {
                    categoryIndex[MetricsFormatting.text(p.x)] = categories.count
                    categories.append(MetricsFormatting.text(p.x))
                }
            }
        }
        func xValue(_ v: ParamValue) -> Double { numericX ? v.numeric! : Double(categoryIndex[MetricsFormatting.text(v)]!) }
        let xs = series.flatMap { $0.points.map { xValue($0.x) } }
        let ys = series.flatMap { $0.points.compactMap { $0.y.numeric } }
        let (x0, x1) = numericX ? range(xs) : (-0.5, Double(max(categories.count, 1)) - 0.5)
        let (y0, y1) = nice(range(ys))
        func px(_ v: Double) -> Double { left + (v - x0) / (x1 - x0) * (width - left - right) }
        func py(_ v: Double) -> Double { top + plotHeight - (v - y0) / (y1 - y0) * plotHeight }
        let labels = series.map { label($0, in: series) }
        var svg = SVGWriter(width: width, height: top + plotHeight + bottom + Double(labels.count) * 16 + 8, label: plot.spec.title)
        for t in ticks(y0, y1) {
            svg.line(left, py(t), width - right, py(t), color: "#eee")
            svg.text(tickText(t), x: left - 6, y: py(t) + 4, anchor: "end")
        }
        let every = categories.count / 20 + 1  // at most ~20 category labels
        let xTicks: [(Double, String)] = numericX
            ? ticks(x0, x1).map { ($0, tickText($0)) }
            : categories.enumerated().filter { $0.offset % every == 0 }.map { (Double($0.offset), String($0.element.prefix(24))) }
        for (t, text) in xTicks { svg.text(text, x: px(t), y: top + plotHeight + 16, anchor: "middle") }
        let yTitle = plot.spec.yLabel ?? (Set(series.map(\.yField)).count == 1 ? series[0].yField : "value")
        axes(&svg, xTitle: plot.spec.xLabel ?? series[0].xField, yTitle: yTitle, bottom: top + plotHeight, xFrom: left)
        for (i, s) in series.enumerated() {
            let color = palette[i % palette.count]
            var pts = s.points.compactMap { p in p.y.numeric.map { (xValue(p.x), $0, p) } }
            if numericX && drawLine { pts.sort { $0.0 < $1.0 } }
            if drawLine && pts.count > 1 { svg.polyline(pts.map { (px($0.0), py($0.1)) }, color: color) }
            guard drawMarkers || pts.count == 1, pts.count <= maxMarkers else { continue }
            for (x, y, p) in pts {
                let tip = "\(labels[i]): \(s.xField)=\(MetricsFormatting.text(p.x)), \(s.yField)=\(MetricsFormatting.text(p.y))"
                svg.element("circle", [("cx", .number(px(x))), ("cy", .number(py(y))), ("r", .number(drawLine ? 2.5 : 3.5)),
                                       ("fill", .text(color))], tooltip: tip)
            }
        }
        legend(labels, y: top + plotHeight + bottom + 8, into: &svg)
        return svg.close()
    }

    /// The two axis lines (x along `bottom`, y at `xFrom`) and their titles.
    static func axes(_ svg: inout SVGWriter, xTitle: String, yTitle: String, bottom: Double, xFrom: Double) {
        svg.line(xFrom, bottom, width - right, bottom, color: "#333")
        svg.line(xFrom, top, xFrom, bottom, color: "#333")
        svg.text(xTitle, x: (xFrom + width - right) / 2, y: bottom + 36, anchor: "middle")
        if !yTitle.isEmpty { svg.verticalText(yTitle, x: 14, y: (top + bottom) / 2) }
    }

    /// DVC's bar_horizontal: x is the value, y the category (swapped when the data say the opposite).
    static func bars(_ series: [PlotSeries], plot: LoadedPlot) -> String {
        let swap = series.allSatisfy { $0.points.allSatisfy { $0.x.numeric == nil || $0.y.numeric != nil } }
            && !series.allSatisfy { $0.points.allSatisfy { $0.x.numeric != nil } }
        func value(_ p: (x: ParamValue, y: ParamValue)) -> Double? { swap ? p.y.numeric : p.x.numeric }
        func category(_ p: (x: ParamValue, y: ParamValue)) -> String { MetricsFormatting.text(swap ? p.x : p.y) }
        var categories: [String] = []
        var best: [String: Double] = [:]
        for s in series {
            for p in s.points {
                guard let v = value(p) else { continue }
                let c = category(p)
                if best[c] == nil { categories.append(c) }
                best[c] = max(best[c] ?? -Double.infinity, v)
            }
        }
        if plot.spec.template.hasSuffix("sorted") { categories.sort { best[$0]! > best[$1]! } }
        let band = 18.0 * Double(series.count) + 6
        let chartHeight = max(Double(categories.count) * band, 40)
        // One series needs no legend; several are told apart by revision and file (the field is the same).
        let labels = series.count > 1 ? series.map { label($0, in: series) } : []
        let all = series.flatMap { $0.points.compactMap(value) }
        let hi = max(0, all.max() ?? 1)
        let (v0, v1) = nice((min(0, all.min() ?? 0), hi == 0 ? 1 : hi))
        let barLeft = 160.0
        func px(_ v: Double) -> Double { barLeft + (v - v0) / (v1 - v0) * (width - barLeft - right) }
        var svg = SVGWriter(width: width, height: top + chartHeight + bottom + Double(labels.count) * 16 + 8, label: plot.spec.title)
        for t in ticks(v0, v1) {
            svg.line(px(t), top, px(t), top + chartHeight, color: "#eee")
            svg.text(tickText(t), x: px(t), y: top + chartHeight + 16, anchor: "middle")
        }
        for (ci, c) in categories.enumerated() {
            let y = top + Double(ci) * band
            svg.text(String(c.prefix(28)), x: barLeft - 6, y: y + band / 2 + 4, anchor: "end")
            for (si, s) in series.enumerated() {
                guard let p = s.points.last(where: { category($0) == c }), let v = value(p) else { continue }
                let tip = (labels.isEmpty ? "" : labels[si] + ": ") + "\(c) = \(MetricsFormatting.text(.float(v)))"
                svg.element("rect", [("x", .number(min(px(0), px(v)))), ("y", .number(y + 3 + Double(si) * 18)),
                                     ("width", .number(max(abs(px(v) - px(0)), 1))), ("height", .number(16)),
                                     ("fill", .text(palette[si % palette.count]))], tooltip: tip)
            }
        }
        svg.line(px(0), top, px(0), top + chartHeight, color: "#333")
        svg.text(plot.spec.xLabel ?? (swap ? series[0].yField : series[0].xField), x: (barLeft + width - right) / 2,
                 y: top + chartHeight + 36, anchor: "middle")
        legend(labels, y: top + chartHeight + bottom + 8, into: &svg)
        return svg.close()
    }
}
