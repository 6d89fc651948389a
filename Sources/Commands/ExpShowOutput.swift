import Basics
import Experiments
import Pipeline
#if canImport(Glibc)
import Glibc
#endif

/// The formats of `cairn exp show`: the text table (tree rows, fitted to a width), Markdown, CSV and JSON.
enum ExpShowOutput {
    /// The terminal's width when stdout is one, else 80 (a pipe or file gets what fits a standard terminal).
    static func terminalWidth() -> Int {
        var size = winsize()
        if isatty(1) == 1, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 40 { return Int(size.ws_col) }
        return 80
    }

    static func table(_ table: ExperimentTable, columns: [ExperimentColumn], env: Bool, precision: Int,
                      limit: Int?, markdown: Bool) -> (text: String, hidden: Int) {
        let fixedHeader = ["Experiment", "Created", "State"] + (env ? ["Environment"] : [])
        var fixedRows: [[String]] = []
        for (index, row) in table.rows.enumerated() {
            var name = row.name
            if row.kind == .experiment {
                let last = index + 1 == table.rows.count || table.rows[index + 1].kind != .experiment
                name = (last ? "└── " : "├── ") + row.name
            }
            fixedRows.append([name, row.created.map(HistoryDisplay.shortDate) ?? "-", row.state?.rawValue ?? "-"]
                + (env ? [environment(row)] : []))
        }
        let cells = table.rows.map { row in
            columns.map { column in
                ExperimentColumns.value(row, column).map { MetricsFormatting.text($0, precision: precision) } ?? "-"
            }
        }
        var kept = Array(columns.indices)
        if let limit {
            func width(_ texts: [String]) -> Int { texts.map(\.count).max() ?? 0 }
            let fixed = fixedHeader.indices.map { i in width([fixedHeader[i]] + fixedRows.map { $0[i] }) + 2 }.reduce(0, +)
            let widths = columns.indices.map { i in width([columns[i].header] + cells.map { $0[i] }) + 2 }
            kept = ExperimentColumns.fit(widths: widths, changed: columns.map(\.changed), fixed: fixed, limit: limit + 2)
        }
        let header = fixedHeader + kept.map { columns[$0].header }
        let rows = zip(fixedRows, cells).map { fixed, values in fixed + kept.map { values[$0] } }
        return (TextTable.render(header: header, rows: rows, markdown: markdown), columns.count - kept.count)
    }

    static func csv(_ table: ExperimentTable, columns: [ExperimentColumn], env: Bool) -> String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var lines = [(["Experiment", "rev", "typ", "Created", "parent", "State"] + (env ? ["Environment"] : [])
            + columns.map { "\($0.file):\($0.key)" }).map(field).joined(separator: ",")]
        for row in table.rows {
            let values = columns.map { column in
                ExperimentColumns.value(row, column).map { MetricsFormatting.text($0, precision: nil) } ?? ""
            }
            let fixed = [row.name, row.sha ?? "workspace", row.kind.rawValue, row.created.map(String.init) ?? "",
                         row.baseline ?? "", row.state?.rawValue ?? ""] + (env ? [environment(row)] : [])
            lines.append((fixed + values).map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }

    /// `[{name, kind, rev, baseline, state, created, params: {file: {key: v}}, metrics: {file: {key: v}},
    /// environment: {stage: {...}}}]`, rows in table order.
    static func json(_ table: ExperimentTable, columns: [ExperimentColumn], env: Bool) -> String {
        let keep = Set(columns.map { "\($0.kind.rawValue)\u{0}\($0.file)\u{0}\($0.key)" })
        func grouped(_ entries: [(file: String, key: String, value: ParamValue)], _ kind: ExperimentColumn.Kind) -> OrderedJSON.Node {
            var files: [(String, [(String, OrderedJSON.Node)])] = []
            for entry in entries where keep.contains("\(kind.rawValue)\u{0}\(entry.file)\u{0}\(entry.key)") {
                if let i = files.firstIndex(where: { $0.0 == entry.file }) { files[i].1.append((entry.key, .value(entry.value))) }
                else { files.append((entry.file, [(entry.key, .value(entry.value))])) }
            }
            return .object(files.map { ($0.0, .object($0.1)) })
        }
        let rows: [OrderedJSON.Node] = table.rows.map { row in
            var fields: [(String, OrderedJSON.Node)] = [
                ("name", .value(.string(row.name))), ("kind", .value(.string(row.kind.rawValue))),
                ("rev", .value(.string(row.sha ?? "workspace"))),
                ("baseline", .value(row.baseline.map { .string($0) })),
                ("state", .value(row.state.map { .string($0.rawValue) })),
                ("created", .value(row.created.map { .int(Int($0)) })),
                ("params", grouped(row.params, .param)), ("metrics", grouped(row.metrics, .metric)),
            ]
            if env {
                fields.append(("environment", .object(row.environments.map { entry in
                    (entry.stage, .value((try? JSONReader.parse(entry.json, file: "environment")) ?? .string(entry.json)))
                })))
            }
            return .object(fields)
        }
        return OrderedJSON.text(.array(rows))
    }

    /// The programs the experiment's stages ran, with their versions: `python3 3.11.7, sort 9.1`.
    static func environment(_ row: ExperimentTable.Row) -> String {
        var seen = Set<String>(), parts: [String] = []
        for entry in row.environments {
            for program in RunEnvironment.parse(entry.json)?.programs ?? [] where seen.insert(program.name).inserted {
                parts.append(program.shortVersion.map { "\(program.name) \($0)" } ?? program.name)
            }
        }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }
}
