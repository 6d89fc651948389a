import Basics

/// CSV and TSV as Python's `csv` module reads them for DVC: fields separated by `,` or a tab, double quotes
/// around fields that hold separators, quotes (doubled) or line breaks; `\n`, `\r\n` and `\r` end rows; blank
/// lines are skipped. The first row is the header unless the plot says `header: false` (then columns are named
/// "0", "1", ... as DVC names them).
public struct DelimitedTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]

    /// Caps what one file may expand to, so a hostile file cannot make the page or the diff unbounded.
    public static let maxRows = 1_000_000
    public static let maxColumns = 10_000

    public static func separator(forPath path: String) -> Character? {
        let name = Paths.basename(path).lowercased()
        if name.hasSuffix(".csv") { return "," }
        if name.hasSuffix(".tsv") { return "\t" }
        return nil
    }

    public static func parse(_ text: String, separator: Character, header hasHeader: Bool = true, file: String) throws -> DelimitedTable {
        var records: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false        // inside a quoted field
        var wasQuoted = false     // the current field was quoted (so an empty "" still counts)
        var line = 1
        func endField() throws {
            row.append(field)
            guard row.count <= maxColumns else { throw CairnError("\(file):\(line): more than \(maxColumns) columns") }
            field = ""; wasQuoted = false
        }
        func endRow() throws {
            try endField()
            if !(row.count == 1 && row[0].isEmpty) { records.append(row) }
            guard records.count <= maxRows + 1 else { throw CairnError("\(file): more than \(maxRows) rows") }
            row = []
        }
        var chars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? { if let p = pending { pending = nil; return p }; return chars.next() }
        let sep = separator.unicodeScalars.first!
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = n }
                    } else { quoted = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !wasQuoted: quoted = true; wasQuoted = true
            case sep: try endField()
            case "\r":
                if let n = next(), n != "\n" { pending = n }
                try endRow(); line += 1
            case "\n": try endRow(); line += 1
            default: field.unicodeScalars.append(c)
            }
        }
        if quoted { throw CairnError("\(file):\(line): a quoted field is not closed") }
        if !field.isEmpty || wasQuoted || !row.isEmpty { try endRow() }
        guard hasHeader else {
            let width = records.map(\.count).max() ?? 0
            return DelimitedTable(header: (0..<width).map(String.init), rows: records)
        }
        guard let first = records.first else { return DelimitedTable(header: [], rows: []) }
        return DelimitedTable(header: first, rows: Array(records.dropFirst()))
    }

    /// Rows as records (column name → cell), as Python's DictReader makes them: a short row lacks the missing
    /// columns, extra cells beyond the header are dropped.
    public var records: [ParamMap] {
        rows.map { row in
            var map = ParamMap()
            for (i, name) in header.enumerated() where i < row.count { map[name] = .string(row[i]) }
            return map
        }
    }
}

extension ParamValue {
    /// A cell's text as a number when it reads as one (Python's int() then float()), else the text.
    static func fromCell(_ text: String) -> ParamValue {
        let t = text.trimmingSpaces
        if let i = Int(t) { return .int(i) }
        if !t.isEmpty, !t.hasPrefix("0x"), let d = Double(t) { return .float(d) }
        return .string(text)
    }

    /// The value as a Double when it is a number (or a string holding one, as CSV cells are), for plotting.
    public var numeric: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .float(let d): return d.isFinite ? d : nil
        case .string(let s):
            let t = s.trimmingSpaces
            if let d = Double(t), d.isFinite { return d }
            return nil
        default: return nil
        }
    }
}
