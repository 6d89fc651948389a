import Basics

/// The tables of `params diff`, `metrics show` and `metrics diff`: plain columns for the terminal (as DVC's
/// tabulate "plain" style) or a GitHub-flavoured Markdown table (`--md`). Cells come from files anyone may have
/// written, so control characters are made visible (no terminal escape sequences reach the screen) and `|` is
/// escaped in Markdown so a value cannot add columns.
public enum TextTable {
    public static func render(header: [String], rows: [[String]], markdown: Bool) -> String {
        let head = header.map { cell($0, markdown: markdown) }
        let body = rows.map { $0.map { cell($0, markdown: markdown) } }
        if markdown {
            var lines = ["| " + head.joined(separator: " | ") + " |"]
            lines.append("|" + head.map { String(repeating: "-", count: max(3, width($0) + 2)) }.joined(separator: "|") + "|")
            for row in body { lines.append("| " + row.joined(separator: " | ") + " |") }
            return lines.joined(separator: "\n")
        }
        var widths = head.map(width)
        for row in body {
            for (i, c) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], width(c)) }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (i, c) in cells.enumerated() {
                if i == cells.count - 1 { out += c } else { out += c + String(repeating: " ", count: widths[i] - width(c) + 2) }
            }
            return out
        }
        return ([line(head)] + body.map(line)).joined(separator: "\n")
    }

    static func width(_ s: String) -> Int { s.count }

    /// One cell on one line: control characters as `\n`, `\t` or `\u{1b}`, Markdown pipes escaped.
    public static func cell(_ text: String, markdown: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "|" where markdown: out += "\\|"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

/// JSON text for `--json` that keeps the order keys were written in (a JSONEncoder would sort or shuffle them).
public enum OrderedJSON {
    public indirect enum Node: Sendable {
        case value(ParamValue?)
        case object([(String, Node)])
        case array([Node])
    }

    public static func text(_ node: Node) -> String {
        var out = ""
        write(node, into: &out)
        return out
    }

    static func write(_ node: Node, into out: inout String) {
        switch node {
        case .value(let v): write(v, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() { if i > 0 { out += "," }; write(item, into: &out) }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out += "," }
                string(k, into: &out); out += ":"; write(v, into: &out)
            }
            out += "}"
        }
    }

    static func write(_ value: ParamValue?, into out: inout String) {
        guard let value else { out += "null"; return }
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let d): out += d.isFinite ? d.description : "null"  // Swift and Python print the same shortest digits
        case .string(let s): string(s, into: &out)
        case .list(let items): write(.array(items.map { .value($0) }), into: &out)
        case .map(let m): write(.object(m.entries.map { ($0.key, .value($0.value)) }), into: &out)
        }
    }

    /// A JSON string; `<`, `>` and `&` are escaped too so the text can sit inside an HTML page unchanged.
    public static func string(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}": out += unicodeEscape(scalar.value)
            default:
                if scalar.value < 0x20 { out += unicodeEscape(scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        out += "\""
    }

    static func unicodeEscape(_ v: UInt32) -> String {
        let hex = String(v, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
