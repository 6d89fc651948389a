import Basics

/// Edits the text of one config file in place, the way `git config` does: only the lines that change are
/// touched, so the user's comments, blank lines, other sections and their order survive. Sections are named as
/// RepoConfig names them: "core", or "remote.origin" for `[remote "origin"]`.
package struct ConfigFileEditor {
    /// The path, for messages.
    package let file: String
    private var lines: [String]

    /// Parses `text` once up front, so a malformed file is reported (naming the file and line) before any edit.
    package init(text: String, file: String) throws {
        self.file = file
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        self.lines = lines
        _ = try classified()
    }

    /// The file's text; it always ends with a newline unless empty.
    package var text: String { lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n" }

    /// What the file sets, decoded exactly as RepoConfig.load reads it.
    package func values() throws -> [String: String] { try RepoConfig.parse(text, file: file) }

    package func hasSection(_ section: String) -> Bool {
        ((try? classified()) ?? []).contains { $0.line == .section(section) }
    }

    package func value(section: String, key: String) -> String? {
        (try? values())?[section + "." + key]
    }

    /// Replaces the last `key` in `section` (so the new value wins, as the parser keeps the last), or adds it
    /// after the section's last entry, or appends a new section at the end of the file.
    package mutating func set(section: String, key: String, value: String) throws {
        let encoded: String
        do { encoded = try Self.encode(value) } catch let error as CairnError {
            throw CairnError("\(file): \(section).\(key): \(error.message)")
        }
        let rendered = "\(key) = \(encoded)"
        let parsed = try classified()
        if let existing = parsed.last(where: { $0.section == section && $0.key == key }) {
            let old = lines[existing.index]
            let indent = old.prefix { $0 == " " || $0 == "\t" }
            lines[existing.index] = indent + rendered
            return
        }
        if let header = parsed.last(where: { $0.line == .section(section) }) {
            let lastEntry = parsed.last { $0.section == section && $0.key != nil && $0.index > header.index }
            lines.insert("\t" + rendered, at: (lastEntry ?? header).index + 1)
            return
        }
        lines.append(Self.header(section))
        lines.append("\t" + rendered)
    }

    /// Removes every `key` line in `section`; false when there was none.
    @discardableResult
    package mutating func unset(section: String, key: String) throws -> Bool {
        let doomed = Set(try classified().filter { $0.section == section && $0.key == key }.map(\.index))
        removeLines(doomed)
        return !doomed.isEmpty
    }

    /// Removes each `[section]` header and its entries (comments after the last entry are left alone, they
    /// may describe what follows); false when the section did not exist.
    @discardableResult
    package mutating func removeSection(_ section: String) throws -> Bool {
        let parsed = try classified()
        var doomed = Set<Int>()
        for header in parsed where header.line == .section(section) {
            let end = parsed.first { $0.index > header.index && $0.isHeader }?.index ?? lines.count
            let lastEntry = parsed.last { $0.index > header.index && $0.index < end && $0.key != nil }?.index
            doomed.formUnion(header.index...(lastEntry ?? header.index))
        }
        removeLines(doomed)
        return !doomed.isEmpty
    }

    /// Rewrites every `[old]` header as `[new]`; false when there was none.
    @discardableResult
    package mutating func renameSection(_ old: String, to new: String) throws -> Bool {
        let headers = try classified().filter { $0.line == .section(old) }
        for header in headers { lines[header.index] = Self.header(new) }
        return !headers.isEmpty
    }

    /// `remote.origin` → `[remote "origin"]`, escaping as Git does.
    package static func header(_ section: String) -> String {
        guard let dot = section.firstIndex(of: ".") else { return "[\(section)]" }
        let name = section[..<dot]
        let subsection = String(section[section.index(after: dot)...])
            .replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
        return "[\(name) \"\(subsection)\"]"
    }

    /// A value as Git writes it: quoted when spaces, `#`, `;`, quotes or backslashes would otherwise be lost or
    /// misread, with `\\`, `\"`, `\n`, `\t`, `\b` escapes. Other control characters are refused.
    package static func encode(_ value: String) throws -> String {
        let allowedControls: [Unicode.Scalar] = ["\n", "\t", "\u{8}"]
        let isBad = { (s: Unicode.Scalar) in (s.value < 0x20 && !allowedControls.contains(s)) || s.value == 0x7f }
        if let bad = value.unicodeScalars.first(where: isBad) {
            let code = String(bad.value, radix: 16, uppercase: true)
            throw CairnError("the value contains the control character U+\(code), which a config file cannot hold")
        }
        let needsQuotes = value.isEmpty || value.contains { $0.isWhitespace || "#;\"\\".contains($0) }
        guard needsQuotes else { return value }
        var out = "\""
        for c in value {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            default: out.append(c)
            }
        }
        return out + "\""
    }

    // MARK: line model

    private struct ParsedLine {
        let index: Int
        let line: RepoConfig.Line
        /// The section this line belongs to ("" before the first header).
        let section: String

        var key: String? { if case .entry(let key, _) = line { return key }; return nil }
        var isHeader: Bool { if case .section = line { return true }; return false }
    }

    private func classified() throws -> [ParsedLine] {
        var section = ""
        var out: [ParsedLine] = []
        for (index, line) in lines.enumerated() {
            let kind = try RepoConfig.classify(Substring(line), file: file, lineNumber: index + 1)
            if case .section(let name) = kind { section = name }
            out.append(ParsedLine(index: index, line: kind, section: section))
        }
        return out
    }

    private mutating func removeLines(_ indexes: Set<Int>) {
        guard !indexes.isEmpty else { return }
        lines = lines.enumerated().filter { !indexes.contains($0.offset) }.map(\.element)
    }
}
