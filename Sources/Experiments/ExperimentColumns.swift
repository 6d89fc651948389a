import Basics
import Pipeline

/// The params and metrics columns of `cairn exp show`: which exist, which the filters keep, their order (metrics
/// before params; within each, the columns whose value differs between rows first, as they are what the table is
/// for), and how many fit a terminal's width.
public struct ExperimentColumn: Sendable, Equatable, Hashable {
    public enum Kind: String, Sendable { case metric, param }
    public var kind: Kind
    public var file: String
    public var key: String
    /// `key`, or `file:key` when another file has the same key.
    public var header: String
    /// Some rows differ in this column.
    public var changed: Bool
}

public enum ExperimentColumns {
    /// `paramPatterns` / `metricPatterns`: glob patterns (`*`) matched against `key` and `file:key`; empty keeps all.
    public static func columns(of table: ExperimentTable, paramPatterns: [String] = [],
                               metricPatterns: [String] = []) -> [ExperimentColumn] {
        func collect(_ kind: ExperimentColumn.Kind, _ patterns: [String]) -> [ExperimentColumn] {
            var order: [(file: String, key: String)] = []
            var seen = Set<String>()
            var values: [String: Set<String>] = [:]
            var present: [String: Int] = [:]
            for row in table.rows {
                for entry in kind == .metric ? row.metrics : row.params {
                    let id = entry.file + "\u{0}" + entry.key
                    if seen.insert(id).inserted { order.append((entry.file, entry.key)) }
                    values[id, default: []].insert(OrderedJSON.text(.value(entry.value)))
                    present[id, default: 0] += 1
                }
            }
            let keyCounts = Dictionary(grouping: order, by: \.key).mapValues(\.count)
            let rowsWithValues = table.rows.filter { kind == .param || $0.state == nil || $0.state == .done }.count
            var columns = order.map { file, key -> ExperimentColumn in
                let id = file + "\u{0}" + key
                let changed = (values[id]?.count ?? 0) > 1 || (present[id] ?? 0) < rowsWithValues
                return ExperimentColumn(kind: kind, file: file, key: key,
                                        header: keyCounts[key, default: 0] > 1 ? "\(file):\(key)" : key, changed: changed)
            }
            if !patterns.isEmpty {
                columns = columns.filter { column in
                    patterns.contains { glob($0, matches: column.key) || glob($0, matches: "\(column.file):\(column.key)") }
                }
            }
            return columns.filter(\.changed) + columns.filter { !$0.changed }
        }
        return collect(.metric, metricPatterns) + collect(.param, paramPatterns)
    }

    public static func value(_ row: ExperimentTable.Row, _ column: ExperimentColumn) -> ParamValue? {
        (column.kind == .metric ? row.metrics : row.params).first { $0.file == column.file && $0.key == column.key }?.value
    }

    /// The column `name` names (`key`, `file:key` or a header); nil when none, an error when several.
    public static func named(_ name: String, in columns: [ExperimentColumn]) throws -> ExperimentColumn? {
        let matches = columns.filter { $0.header == name || "\($0.file):\($0.key)" == name || $0.key == name }
        if matches.count > 1 {
            throw CairnError("--sort-by \(name) is ambiguous: " + matches.map { "\($0.file):\($0.key)" }.joined(separator: ", "))
        }
        return matches.first
    }

    /// Experiments sorted by `column` within each baseline (numbers by value, then text; rows without a value last).
    public static func sort(_ table: inout ExperimentTable, by column: ExperimentColumn, descending: Bool) {
        var result: [ExperimentTable.Row] = []
        var group: [ExperimentTable.Row] = []
        func flush() {
            result += group.sorted { a, b in
                switch (value(a, column), value(b, column)) {
                case (nil, nil): return false
                case (nil, _): return false
                case (_, nil): return true
                case (let x?, let y?): return descending ? less(y, x) : less(x, y)
                }
            }
            group = []
        }
        for row in table.rows {
            if row.kind == .experiment { group.append(row) } else { flush(); result.append(row) }
        }
        flush()
        table.rows = result
    }

    static func less(_ a: ParamValue, _ b: ParamValue) -> Bool {
        func number(_ v: ParamValue) -> Double? {
            switch v { case .int(let i): return Double(i); case .float(let d): return d; default: return nil }
        }
        if let x = number(a), let y = number(b) { return x < y }
        if number(a) != nil { return true }
        if number(b) != nil { return false }
        return OrderedJSON.text(.value(a)) < OrderedJSON.text(.value(b))
    }

    /// Which columns fit in `limit` characters after the `fixed` leading columns (widths include the 2-space gap):
    /// unchanged columns are dropped first, then changed ones from the right. Returns the indices kept, in order.
    public static func fit(widths: [Int], changed: [Bool], fixed: Int, limit: Int) -> [Int] {
        var kept = Array(widths.indices)
        func total() -> Int { fixed + kept.reduce(0) { $0 + widths[$1] } }
        while total() > limit, let last = kept.lastIndex(where: { !changed[$0] }) { kept.remove(at: last) }
        while total() > limit, !kept.isEmpty { kept.removeLast() }
        return kept
    }

    /// `*` matches any run of characters; everything else literally.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var memo: [Int: Bool] = [:]
        func match(_ i: Int, _ j: Int) -> Bool {
            let keyValue = i * (t.count + 1) + j
            if let known = memo[keyValue] { return known }
            let result: Bool
            if i == p.count { result = j == t.count }
            else if p[i] == "*" { result = match(i + 1, j) || (j < t.count && match(i, j + 1)) }
            else { result = j < t.count && p[i] == t[j] && match(i + 1, j + 1) }
            memo[keyValue] = result
            return result
        }
        return match(0, 0)
    }
}
