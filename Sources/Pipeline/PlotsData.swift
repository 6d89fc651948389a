import Basics

/// Plot data as DVC reads it: CSV/TSV rows (header names the fields, or "0", "1", ... with `header: false`), or
/// from JSON/YAML the first list found (depth first) whose items are mappings, each item a record. Images are
/// shown as they are. Every record gets `step`, its 0-based index, the default x axis.
public enum PlotData {
    public static let imageTypes: [String: String] = [".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                                                       ".gif": "image/gif", ".svg": "image/svg+xml"]
    /// A page stays viewable: beyond this many records per file the rest is left out (and the page says so).
    public static let maxRecords = 50_000

    public static func imageType(forPath path: String) -> String? {
        let name = Paths.basename(path).lowercased()
        return imageTypes.first { name.hasSuffix($0.key) }?.value
    }

    /// The records of the plot data file `path`; `truncated` when `maxRecords` cut it.
    public static func records(_ bytes: [UInt8], path: String, header: Bool = true) throws -> (records: [ParamMap], truncated: Bool) {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw CairnError("\(path): is not UTF-8 text") }
        var records: [ParamMap]
        if let separator = DelimitedTable.separator(forPath: path) {
            records = try DelimitedTable.parse(text, separator: separator, header: header, file: path).records
        } else {
            let value: ParamValue
            switch MetricsFile.format(forPath: path) {
            case .json: value = try JSONReader.parse(text, file: path)
            case .toml: value = try TOMLReader.parse(text, file: path)
            default: value = try PipelineFileReader.composeYAML(text, displayName: path).value
            }
            guard let list = firstList(value) else {
                throw CairnError("\(path): no list of records found (plot data is a list of mappings, e.g. [{\"step\": 0, \"loss\": 0.5}])")
            }
            records = list.compactMap { item in
                guard case .map = item else { return nil }
                return ParamMap(item.flattened().map { ($0.key, $0.value) })
            }
        }
        let truncated = records.count > maxRecords
        if truncated { records.removeSubrange(maxRecords...) }
        for i in records.indices where records[i]["step"] == nil { records[i]["step"] = .int(i) }
        return (records, truncated)
    }

    /// DVC's `find_first_list`: the value itself when it is a list, else the first list met depth first.
    static func firstList(_ value: ParamValue) -> [ParamValue]? {
        switch value {
        case .list(let items): return items
        case .map(let map):
            for (_, v) in map.entries { if let found = firstList(v) { return found } }
            return nil
        default: return nil
        }
    }

    /// DVC's default y: the last field of the first record (ignoring the injected `step`).
    public static func defaultY(_ records: [ParamMap]) -> String? {
        records.first?.keys.last { $0 != "step" } ?? records.first?.keys.last
    }
}

private let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

public enum Base64 {
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            for shift in [18, 12, 6, 0] { out.append(base64Alphabet[Int((n >> UInt32(shift)) & 63)]) }
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            var n = UInt32(bytes[i]) << 16
            if rest == 2 { n |= UInt32(bytes[i + 1]) << 8 }
            out.append(base64Alphabet[Int((n >> 18) & 63)])
            out.append(base64Alphabet[Int((n >> 12) & 63)])
            out.append(rest == 2 ? base64Alphabet[Int((n >> 6) & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
