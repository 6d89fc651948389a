import Basics

/// Builds SVG markup where every attribute value and every text node is escaped on the way in, so no string
/// from a data file can become markup whichever element it ends up in. Numbers are written with one decimal
/// and clamped (extreme data must not write "nan" or trap).
struct SVGWriter {
    enum Attribute {
        case number(Double)
        case text(String)
    }

    private(set) var markup = ""

    /// `<svg width height viewBox role aria-label>`; `close()` ends it.
    init(width: Double, height: Double, label: String) {
        markup = "<svg width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" viewBox=\"0 0 \(Self.number(width)) "
            + "\(Self.number(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\" font-family=\"sans-serif\" font-size=\"11\">"
    }

    /// One element: `text` becomes its text content, `tooltip` a `<title>` child (what a browser shows on hover).
    mutating func element(_ name: String, _ attributes: [(String, Attribute)], text: String? = nil, tooltip: String? = nil) {
        markup += "<" + name
        for (key, value) in attributes {
            switch value {
            case .number(let d): markup += " \(key)=\"\(Self.number(d))\""
            case .text(let s): markup += " \(key)=\"\(HTMLText.escape(s))\""
            }
        }
        if text == nil && tooltip == nil { markup += "/>"; return }
        markup += ">"
        if let tooltip { markup += "<title>" + HTMLText.escape(tooltip) + "</title>" }
        if let text { markup += HTMLText.escape(text) }
        markup += "</\(name)>"
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: String) {
        element("line", [("x1", .number(x1)), ("y1", .number(y1)), ("x2", .number(x2)), ("y2", .number(y2)), ("stroke", .text(color))])
    }

    mutating func text(_ s: String, x: Double, y: Double, anchor: String = "start", extra: [(String, Attribute)] = []) {
        element("text", [("x", .number(x)), ("y", .number(y)), ("text-anchor", .text(anchor))] + extra, text: s)
    }

    /// Text turned to read bottom to top (a y-axis title), centred on (x, y).
    mutating func verticalText(_ s: String, x: Double, y: Double) {
        element("text", [("transform", .text("translate(\(Self.number(x)) \(Self.number(y))) rotate(-90)")),
                         ("text-anchor", .text("middle"))], text: s)
    }

    mutating func polyline(_ points: [(Double, Double)], color: String) {
        let list = points.map { Self.number($0.0) + "," + Self.number($0.1) }.joined(separator: " ")
        element("polyline", [("fill", .text("none")), ("stroke", .text(color)), ("stroke-width", .number(1.5)), ("points", .text(list))])
    }

    mutating func close() -> String { markup + "</svg>" }

    static func number(_ d: Double) -> String {
        guard d.isFinite else { return d.isNaN ? "0" : (d < 0 ? "-100000" : "100000") }
        let r = (min(max(d, -100_000), 100_000) * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
