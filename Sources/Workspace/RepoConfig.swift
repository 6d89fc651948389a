import Basics

/// `.cairn/config` (committed, shareable) overlaid by `.cairn/config.local` (git-ignored, for secrets).
/// The syntax is Git's config syntax, the subset cairn needs: `[section]` or `[section "name"]` headers and
/// `key = value` lines; `#` and `;` start comments.
public struct RepoConfig: Sendable {
    public var values: [String: String] = [:]   // "core.compression_level", `remote.origin.url`

    static let defaultText = """
        # cairn configuration (committed to Git). Secrets go in config.local, which Git ignores.
        [core]
        \tcompression_level = 1

        """

    public static func load(dotCairn: String) throws -> RepoConfig {
        var config = RepoConfig()
        for name in ["config", "config.local"] {
            let path = Paths.join(dotCairn, name)
            guard FS.exists(path) else { continue }
            try config.merge(parse(try FS.readString(path), file: path))
        }
        return config
    }

    mutating func merge(_ other: [String: String]) { values.merge(other) { $1 } }

    static func parse(_ text: String, file: String) throws -> [String: String] {
        var out: [String: String] = [:]
        var section = ""
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw CairnError("\(file):\(number + 1): unterminated section header") }
                let inner = line.dropFirst().dropLast().trimmingCharacters()
                if let quote = inner.firstIndex(of: "\"") {
                    let name = inner[..<quote].trimmingCharacters()
                    let sub = inner[quote...].replacingQuotes()
                    section = name.lowercased() + "." + sub
                } else {
                    section = inner.lowercased()
                }
                continue
            }
            guard let eq = line.firstIndex(of: "=") else {
                throw CairnError("\(file):\(number + 1): expected 'key = value'")
            }
            guard !section.isEmpty else { throw CairnError("\(file):\(number + 1): key outside a [section]") }
            let key = line[..<eq].trimmingCharacters().lowercased()
            let value = line[line.index(after: eq)...].trimmingCharacters().replacingQuotes()
            out[section + "." + key] = value
        }
        return out
    }

    public var compressionLevel: Int32 {
        guard let raw = values["core.compression_level"], let level = Int32(raw), (-7...19).contains(level) else {
            return 1
        }
        return level
    }
}

extension StringProtocol {
    func trimmingCharacters() -> String { String(self).trimmingWhitespace }
    func replacingQuotes() -> String {
        let s = String(self)
        if s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") { return String(s.dropFirst().dropLast()) }
        return s
    }
}
