import Foundation

/// A pointer file as the tests see it: its raw lines and its `key: value` pairs in file order.
/// Deliberately not a YAML parser: the tests check the exact layout the contract promises (comment first,
/// keys in a fixed order), which a YAML parser would hide.
struct PointerText {
    static let headerComment = "# cairn pointer file: the data is in cairn's store, not in Git (docs/formats.md)"

    let raw: String
    let lines: [String]
    /// (key, value) in file order; double-quoted values are unquoted (\" and \\ unescaped).
    let entries: [(key: String, value: String)]

    init(_ raw: String) {
        self.raw = raw
        lines = raw.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var entries: [(String, String)] = []
        for line in lines where !line.hasPrefix("#") && !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            var value = String(line[line.index(after: colon)...])
            if value.hasPrefix(" ") { value.removeFirst() }
            entries.append((key, PointerText.unquote(value)))
        }
        self.entries = entries
    }

    var keys: [String] { entries.map(\.key) }

    subscript(key: String) -> String? { entries.first { $0.key == key }?.value }

    /// The hex part of `id: sha256:<hex>`, or nil when the id has another form.
    var sha256Hex: String? {
        guard let id = self["id"], id.hasPrefix("sha256:") else { return nil }
        return String(id.dropFirst("sha256:".count))
    }

    static func isSHA256(_ text: String?) -> Bool {
        guard let text, text.hasPrefix("sha256:") else { return false }
        let hex = text.dropFirst("sha256:".count)
        return hex.count == 64 && hex.allSatisfy { "0123456789abcdef".contains($0) }
    }

    private static func unquote(_ value: String) -> String {
        guard value.count >= 2 else { return value }
        if value.hasPrefix("\""), value.hasSuffix("\"") {
            var result = ""
            var escaping = false
            for character in value.dropFirst().dropLast() {
                if escaping { result.append(character); escaping = false } else if character == "\\" { escaping = true } else { result.append(character) }
            }
            return result
        }
        if value.hasPrefix("'"), value.hasSuffix("'") {
            return String(value.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
        }
        return value
    }
}
