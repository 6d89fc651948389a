import Basics

/// Draws a loaded plot as inline SVG (no script, no network): lines for linear/simple/smooth, points for
/// scatter, horizontal bars for bar_horizontal(_sorted), a heat map with counts for confusion(_normalized).
/// Every string from a file goes through `HTMLText.escape`.
public enum PlotSVG {
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
    static let width = 640.0, plotHeight = 360.0
    static let left = 64.0, right = 16.0, top = 16.0, bottom = 48.0
    /// Above this many points a series draws no per-point markers or tooltips (keeps the page small).
    static let maxMarkers = 2_000

    public static func render(_ plot: LoadedPlot) -> String {
        let series = plot.series.filter { !$0.points.isEmpty }
        if series.isEmpty { return "" }
        if plot.isConfusion { return series.map { confusion($0, plot: plot, label: label($0, in: series)) }.joined(separator: "\n") }
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

    /// A coordinate with one decimal. Extreme data (1e308 next to -1e308) can make a coordinate infinite or NaN;
    /// it is clamped rather than allowed to trap in `Int(_:)` or to write "nan" into the SVG.
    static func n(_ d: Double) -> String {
        guard d.isFinite else { return d.isNaN ? "0" : (d < 0 ? "-100000" : "100000") }
        let r = (min(max(d, -100_000), 100_000) * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
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

    static func open(height: Double, title: String) -> String {
        "<svg width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\""
            + " role=\"img\" aria-label=\"\(HTMLText.escape(title))\" font-family=\"sans-serif\" font-size=\"11\">"
    }

    static func legend(_ labels: [String], y: Double) -> String {
        var out = ""
        for (i, text) in labels.enumerated() {
            let ly = y + Double(i) * 16
            out += "<rect x=\"\(n(left))\" y=\"\(n(ly - 9))\" width=\"10\" height=\"10\" fill=\"\(palette[i % palette.count])\"/>"
            out += "<text x=\"\(n(left + 16))\" y=\"\(n(ly))\">\(HTMLText.escape(text))</text>"
        }
        return out
    }

    static func axes(xLabel: String, yLabel: String) -> String {
        "<line x1=\"\(n(left))\" y1=\"\(n(top + plotHeight))\" x2=\"\(n(width - right))\" y2=\"\(n(top + plotHeight))\" stroke=\"#333\"/>"
            + "<line x1=\"\(n(left))\" y1=\"\(n(top))\" x2=\"\(n(left))\" y2=\"\(n(top + plotHeight))\" stroke=\"#333\"/>"
            + "<text x=\"\(n((left + width - right) / 2))\" y=\"\(n(top + plotHeight + 36))\" text-anchor=\"middle\">\(HTMLText.escape(xLabel))</text>"
            + "<text transform=\"translate(14 \(n(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(HTMLText.escape(yLabel))</text>"
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
            for s in series { for p in s.points where categoryIndex[MetricsFormatting.text(p.x)] == nil {
                categoryIndex[MetricsFormatting.text(p.x)] = categories.count; categories.append(MetricsFormatting.text(p.x))
            } }
        }
        func xValue(_ v: ParamValue) -> Double { numericX ? v.numeric! : Double(categoryIndex[MetricsFormatting.text(v)]!) }
        let xs = series.flatMap { $0.points.map { xValue($0.x) } }
        let ys = series.flatMap { $0.points.compactMap { $0.y.numeric } }
        let (x0, x1) = numericX ? range(xs) : (-0.5, Double(max(categories.count, 1)) - 0.5)
        let (y0, y1) = nice(range(ys))
        func px(_ v: Double) -> Double { left + (v - x0) / (x1 - x0) * (width - left - right) }
        func py(_ v: Double) -> Double { top + plotHeight - (v - y0) / (y1 - y0) * plotHeight }
        let labels = series.map { label($0, in: series) }
        let height = top + plotHeight + bottom + Double(labels.count) * 16 + 8
        var out = open(height: height, title: plot.spec.title)
        for t in ticks(y0, y1) {
            out += "<line x1=\"\(n(left))\" y1=\"\(n(py(t)))\" x2=\"\(n(width - right))\" y2=\"\(n(py(t)))\" stroke=\"#eee\"/>"
            out += "<text x=\"\(n(left - 6))\" y=\"\(n(py(t) + 4))\" text-anchor=\"end\">\(HTMLText.escape(tickText(t)))</text>"
        }
        let xTicks: [(Double, String)] = numericX ? ticks(x0, x1).map { ($0, tickText($0)) }
            : categories.enumerated().filter { categories.count <= 20 || $0.offset % (categories.count / 20 + 1) == 0 }.map { (Double($0.offset), $0.element) }
        for (t, text) in xTicks {
            out += "<text x=\"\(n(px(t)))\" y=\"\(n(top + plotHeight + 16))\" text-anchor=\"middle\">\(HTMLText.escape(String(text.prefix(24))))</text>"
        }
        out += axes(xLabel: plot.spec.xLabel ?? series[0].xField, yLabel: plot.spec.yLabel ?? (Set(series.map(\.yField)).count == 1 ? series[0].yField : "value"))
        for (i, s) in series.enumerated() {
            let color = palette[i % palette.count]
            var pts = s.points.compactMap { p in p.y.numeric.map { (xValue(p.x), $0, p) } }
            if numericX && drawLine { pts.sort { $0.0 < $1.0 } }
            if drawLine && pts.count > 1 {
                out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\""
                    + pts.map { "\(n(px($0.0))),\(n(py($0.1)))" }.joined(separator: " ") + "\"/>"
            }
            if drawMarkers || pts.count == 1, pts.count <= maxMarkers {
                for (x, y, p) in pts {
                    let tip = "\(labels[i]): \(s.xField)=\(MetricsFormatting.text(p.x)), \(s.yField)=\(MetricsFormatting.text(p.y))"
                    out += "<circle cx=\"\(n(px(x)))\" cy=\"\(n(py(y)))\" r=\"\(drawLine ? "2.5" : "3.5")\" fill=\"\(color)\"><title>\(HTMLText.escape(tip))</title></circle>"
                }
            }
        }
        return out + legend(labels, y: top + plotHeight + bottom + 8) + "</svg>"
    }

    /// DVC's bar_horizontal: x is the value, y the category (swapped when the data say the opposite).
    static func bars(_ series: [PlotSeries], plot: LoadedPlot) -> String {
        let swap = series.allSatisfy { $0.points.allSatisfy { $0.x.numeric == nil || $0.y.numeric != nil } }
            && !series.allSatisfy { $0.points.allSatisfy { $0.x.numeric != nil } }
        func value(_ p: (x: ParamValue, y: ParamValue)) -> Double? { swap ? p.y.numeric : p.x.numeric }
        func category(_ p: (x: ParamValue, y: ParamValue)) -> String { MetricsFormatting.text(swap ? p.x : p.y) }
        var categories: [String] = []
        var best: [String: Double] = [:]
        for s in series { for p in s.points { guard let v = value(p) else { continue }
            let c = category(p)
            if best[c] == nil { categories.append(c) }
            best[c] = max(best[c] ?? -Double.infinity, v)
        } }
        if plot.spec.template.hasSuffix("sorted") { categories.sort { best[$0]! > best[$1]! } }
        let band = 18.0 * Double(series.count) + 6
        let chartHeight = max(Double(categories.count) * band, 40)
        // One series needs no legend; several are told apart by revision and file (the field is the same).
        let labels = series.count > 1 ? series.map { label($0, in: series) } : []
        let all = series.flatMap { $0.points.compactMap(value) }
        let (v0, v1) = nice((min(0, all.min() ?? 0), max(0, all.max() ?? 1) == 0 ? 1 : max(0, all.max() ?? 1)))
        let barLeft = 160.0
        func px(_ v: Double) -> Double { barLeft + (v - v0) / (v1 - v0) * (width - barLeft - right) }
        let height = top + chartHeight + bottom + Double(labels.count) * 16 + 8
        var out = open(height: height, title: plot.spec.title)
        for t in ticks(v0, v1) {
            out += "<line x1=\"\(n(px(t)))\" y1=\"\(n(top))\" x2=\"\(n(px(t)))\" y2=\"\(n(top + chartHeight))\" stroke=\"#eee\"/>"
            out += "<text x=\"\(n(px(t)))\" y=\"\(n(top + chartHeight + 16))\" text-anchor=\"middle\">\(HTMLText.escape(tickText(t)))</text>"
        }
        for (ci, c) in categories.enumerated() {
            let y = top + Double(ci) * band
            out += "<text x=\"\(n(barLeft - 6))\" y=\"\(n(y + band / 2 + 4))\" text-anchor=\"end\">\(HTMLText.escape(String(c.prefix(28))))</text>"
            for (si, s) in series.enumerated() {
                guard let p = s.points.last(where: { category($0) == c }), let v = value(p) else { continue }
                let x = min(px(0), px(v)), w = abs(px(v) - px(0))
                out += "<rect x=\"\(n(x))\" y=\"\(n(y + 3 + Double(si) * 18))\" width=\"\(n(max(w, 1)))\" height=\"16\" fill=\"\(palette[si % palette.count])\">"
                    + "<title>\(HTMLText.escape("\(labels.isEmpty ? "" : labels[si] + ": ")\(c) = \(MetricsFormatting.text(.float(v)))"))</title></rect>"
            }
        }
        out += "<line x1=\"\(n(px(0)))\" y1=\"\(n(top))\" x2=\"\(n(px(0)))\" y2=\"\(n(top + chartHeight))\" stroke=\"#333\"/>"
        out += "<text x=\"\(n((barLeft + width - right) / 2))\" y=\"\(n(top + chartHeight + 36))\" text-anchor=\"middle\">"
            + HTMLText.escape(plot.spec.xLabel ?? (swap ? series[0].yField : series[0].xField)) + "</text>"
        return out + legend(labels, y: top + chartHeight + bottom + 8) + "</svg>"
    }
}
