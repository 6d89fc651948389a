import Basics

/// `.cairn/config` (committed, shareable) overlaid by `.cairn/config.local` (git-ignored, for secrets).
/// The syntax is Git's config syntax, the subset cairn needs: `[section]` or `[section "name"]` headers and
/// `key = value` lines; `#` and `;` start comments (also after a value), double quotes keep spaces, `#` and `;`
/// in a value, and `\"`, `\\`, `\n`, `\t`, `\b` are escapes, as in Git.
public struct RepoConfig: Sendable {
    package init(values: [String: String] = [:], origins: [String: String] = [:]) {
        self.values = values
        self.origins = origins
    }
    public var values: [String: String] = [:]   // "core.compression_level", `remote.origin.url`
    /// The file that set each key (the last one read wins), so an error about a value can name its file.
    public var origins: [String: String] = [:]

    static let defaultText = """
        # cairn configuration (committed to Git). Secrets go in config.local, which Git ignores.
        [core]
        \tcompression_level = 1

        """

    public static func load(dotCairn: String) throws -> RepoConfig {
        var config = RepoConfig()
        for name in ["config", "config.local"] {
            let path = Paths.join(dotCairn, name)
            guard let text = try StructuredFileLoader.readText(path, display: path, limits: .config) else { continue }
            config.merge(try parse(text, file: path), from: path)
        }
        return config
    }

    package mutating func merge(_ other: [String: String], from file: String? = nil) {
        values.merge(other) { $1 }
        if let file { for key in other.keys { origins[key] = file } }
    }

    /// One classified line of a config file; the parser and ConfigFileEditor share it, so whatever the
    /// editor writes is read back the same way.
    enum Line: Equatable {
        case blankOrComment
        /// "core", or "remote.origin" for `[remote "origin"]` (section name lowercased, subsection kept).
        case section(String)
        /// A lowercased key and its decoded value.
        case entry(key: String, value: String)
    }

    package static func parse(_ text: String, file: String) throws -> [String: String] {
        var out: [String: String] = [:]
        var section = ""
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            switch try classify(rawLine, file: file, lineNumber: number + 1) {
            case .blankOrComment: continue
            case .section(let name): section = name
            case .entry(let key, let value):
                guard !section.isEmpty else { throw CairnError("\(file):\(number + 1): key outside a [section]") }
                out[section + "." + key] = value
            }
        }
        return out
    }

    static func classify(_ rawLine: Substring, file: String, lineNumber: Int) throws -> Line {
        func fail(_ why: String) -> CairnError { CairnError("\(file):\(lineNumber): \(why)") }
        let line = rawLine.trimmingCharacters()
        if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { return .blankOrComment }
        if line.hasPrefix("[") { return .section(try sectionName(line, fail: fail)) }
        guard let eq = line.firstIndex(of: "=") else { throw fail("expected 'key = value'") }
        let key = line[..<eq].trimmingCharacters().lowercased()
        if key.isEmpty { throw fail("missing the key before '='") }
        return .entry(key: key, value: try decodeValue(line[line.index(after: eq)...], fail: fail))
    }

    /// `[core]` → "core"; `[remote "my \"x\""]` → `remote.my "x"`. A comment may follow the `]`.
    private static func sectionName(_ line: String, fail: (String) -> CairnError) throws -> String {
        var name = ""
        var subsection: String?
        var index = line.index(after: line.startIndex)
        var closed = false
        while index < line.endIndex {
            let c = line[index]
            index = line.index(after: index)
            if c == "]" { closed = true; break }
            if c == "\"" {
                guard subsection == nil else { throw fail("a section header may have one quoted name only") }
                var sub = ""
                var terminated = false
                while index < line.endIndex {
                    var s = line[index]
                    index = line.index(after: index)
                    if s == "\"" { terminated = true; break }
                    if s == "\\" {
                        guard index < line.endIndex else { break }
                        s = line[index]
                        index = line.index(after: index)
                    }
                    sub.append(s)
                }
                guard terminated else { throw fail("unterminated quote in the section header") }
                subsection = sub
            } else if subsection != nil {
                guard c.isWhitespace else { throw fail("unexpected text after the quoted name in the section header") }
            } else {
                name.append(c)
            }
        }
        guard closed else { throw fail("unterminated section header") }
        let rest = line[index...].trimmingCharacters()
        guard rest.isEmpty || rest.hasPrefix("#") || rest.hasPrefix(";") else {
            throw fail("unexpected text after the section header")
        }
        let trimmedName = name.trimmingCharacters().lowercased()
        guard !trimmedName.isEmpty else { throw fail("empty section name") }
        guard let subsection else { return trimmedName }
        return trimmedName + "." + subsection
    }

    /// Git's value syntax: surrounding whitespace is dropped unless quoted, `#`/`;` outside quotes end the value.
    static func decodeValue(_ raw: Substring, fail: (String) -> CairnError) throws -> String {
        var out = ""
        var pendingSpace = ""   // unquoted whitespace, kept only if more value follows
        var inQuotes = false
        var started = false     // leading whitespace is never part of the value
        var index = raw.startIndex
        while index < raw.endIndex {
            let c = raw[index]
            index = raw.index(after: index)
            if !c.isWhitespace { started = true }
            if c == "\\" {
                guard index < raw.endIndex else {
                    throw fail("a '\\' at the end of a line (line continuation) is not supported")
                }
                let escaped = raw[index]
                index = raw.index(after: index)
                let decoded: Character
                switch escaped {
                case "n": decoded = "\n"
                case "t": decoded = "\t"
                case "b": decoded = "\u{8}"
                case "\"", "\\": decoded = escaped
                default: throw fail("unknown escape '\\\(escaped)' in the value")
                }
                out += pendingSpace + String(decoded)
                pendingSpace = ""
            } else if c == "\"" {
                inQuotes.toggle()
                out += pendingSpace
                pendingSpace = ""
            } else if !inQuotes && (c == "#" || c == ";") {
                break
            } else if !inQuotes && c.isWhitespace {
                if started { pendingSpace.append(c) }
            } else {
                out += pendingSpace + String(c)
                pendingSpace = ""
            }
        }
        if inQuotes { throw fail("unterminated quote in the value") }
        return out
    }

    /// An invalid value is not an error (it only matters when writing) but is never ignored silently.
    public var compressionLevel: Int32 {
        guard let raw = values["core.compression_level"] else { return 1 }
        guard let level = Int32(raw.trimmingWhitespace), (-7...19).contains(level) else {
            let file = origins["core.compression_level"] ?? ".cairn/config"
            Diagnostics.warning("\(file): core.compression_level '\(Paths.quoted(raw))' is not an integer from -7 to 19; using 1")
            return 1
        }
        return level
    }
}

extension StringProtocol {
    package func trimmingCharacters() -> String { String(self).trimmingWhitespace }
}
