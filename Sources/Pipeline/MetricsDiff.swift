import Basics

/// One line of `metrics diff` or `params diff`: a flattened key of a file, its value on each side (nil when the
/// key or the file is absent there), and for metrics the numeric change.
public struct DiffRow: Sendable, Equatable {
    public var path: String
    public var key: String
    public var old: ParamValue?
    public var new: ParamValue?
    /// `new - old` when both are numbers (booleans are not), as DVC computes it; nil otherwise.
    public var change: ParamValue?

    public init(path: String, key: String, old: ParamValue?, new: ParamValue?, change: ParamValue? = nil) {
        self.path = path; self.key = key; self.old = old; self.new = new; self.change = change
    }
}

public enum MetricsDiff {
    /// Rows for every file on either side (old side's order first) and every key on either side; unchanged
    /// keys only with `all`. Files that failed on a side are left out of the rows (they are reported apart).
    public static func rows(old: [(path: String, values: ParamMap)], new: [(path: String, values: ParamMap)],
                            all: Bool, withChange: Bool) -> [DiffRow] {
        var order: [String] = []
        var oldByPath: [String: ParamMap] = [:]
        var newByPath: [String: ParamMap] = [:]
        for (path, values) in old { if oldByPath[path] == nil { order.append(path) }; oldByPath[path] = values }
        for (path, values) in new {
            if oldByPath[path] == nil && newByPath[path] == nil { order.append(path) }
            newByPath[path] = values
        }
        var rows: [DiffRow] = []
        for path in order {
            let a = MetricsFile.flatten(oldByPath[path] ?? ParamMap())
            let b = MetricsFile.flatten(newByPath[path] ?? ParamMap())
            var keys: [String] = []
            var seen = Set<String>()
            for (k, _) in a + b where seen.insert(k).inserted { keys.append(k) }
            let av = Dictionary(a.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
            let bv = Dictionary(b.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
            for key in keys {
                var row = DiffRow(path: path, key: key, old: av[key], new: bv[key])
                if !all && row.old == row.new { continue }
                if withChange { row.change = change(from: row.old, to: row.new) }
                rows.append(row)
            }
        }
        return rows
    }

    /// Metrics diff of two loaded sides: absent files count as empty; a file that failed on either side is left
    /// out on both (it is reported apart; "-" would claim its metrics were gone).
    public static func rows(old: RevisionMetrics, new: RevisionMetrics, all: Bool) -> [DiffRow] {
        rows(old: old.files, new: new.files, all: all, withChange: true)
    }

    public static func rows(old: [(path: String, result: MetricsFileResult)], new: [(path: String, result: MetricsFileResult)],
                            all: Bool, withChange: Bool) -> [DiffRow] {
        var failed = Set<String>()
        for file in old + new { if case .failed = file.result { failed.insert(file.path) } }
        func usable(_ files: [(path: String, result: MetricsFileResult)]) -> [(path: String, values: ParamMap)] {
            files.compactMap { file in
                guard !failed.contains(file.path) else { return nil }
                return (file.path, file.result.metrics ?? ParamMap())
            }
        }
        return rows(old: usable(old), new: usable(new), all: all, withChange: withChange)
    }

    /// The numeric change; Python's `new - old` keeps integers integral.
    public static func change(from old: ParamValue?, to new: ParamValue?) -> ParamValue? {
        switch (old, new) {
        case (.int(let a)?, .int(let b)?):
            let (d, overflow) = b.subtractingReportingOverflow(a)
            return overflow ? .float(Double(b) - Double(a)) : .int(d)
        case (.int(let a)?, .float(let b)?): return .float(b - Double(a))
        case (.float(let a)?, .int(let b)?): return .float(Double(b) - a)
        case (.float(let a)?, .float(let b)?): return .float(b - a)
        default: return nil
        }
    }
}

/// How values are written in tables (JSON keeps them exact).
public enum MetricsFormatting {
    /// What a table shows for a value that is not there, as DVC does.
    public static let missing = "-"

    /// A value for a table: floats rounded to `precision` decimal places (DVC's `--precision`, default 5),
    /// booleans and null as in YAML, lists and mappings in flow style.
    public static func text(_ value: ParamValue?, precision: Int? = 5) -> String {
        guard let value else { return missing }
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return float(d, precision: precision)
        case .string(let s): return s
        case .list(let items): return "[" + items.map { text($0, precision: precision) }.joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.entries.map { "\($0.key): \(text($0.value, precision: precision))" }.joined(separator: ", ") + "}"
        }
    }

    static func float(_ d: Double, precision: Int?) -> String {
        guard d.isFinite else { return ParamValue.pythonFloat(d) }
        guard let precision, precision >= 0, precision < 17 else { return ParamValue.pythonFloat(d) }
        var scale = 1.0
        for _ in 0..<precision { scale *= 10 }
        // k / 10^p is correctly rounded, so it prints as its short decimal; beyond 2^53 there is nothing to round.
        guard abs(d * scale) < 9_007_199_254_740_992 else { return ParamValue.pythonFloat(d) }
        return ParamValue.pythonFloat((d * scale).rounded() / scale)
    }
}
