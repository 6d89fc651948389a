import Basics

/// Edits cairn.yaml as text, so `cairn stage add` keeps the user's comments, key order, quoting and blank lines:
/// a new stage's block is appended at the end of the top-level `stages:` mapping (created when missing), and with
/// `-f` the block of an existing stage is replaced in place. Only block-style `stages:` mappings are edited; the
/// caller parses the result and builds the graph before anything is written.
public enum PipelineTextEditor {
    public enum Change: Equatable { case added, replaced }

    public static func addStage(_ definition: StageDefinition, to text: String, file: String,
                                replace: Bool) throws -> (text: String, change: Change) {
        // Each line keeps its own terminator, so a CRLF (or mixed) file stays as it was; new lines take the
        // terminator of the file's first line.
        var (lines, endings) = splitLines(text)
        let newline = endings.first { !$0.isEmpty } ?? "\n"
        // A byte-order mark is kept in the text but must not hide a `stages:` on the first line.
        var plain = lines
        if let first = plain.first, first.hasPrefix("\u{FEFF}") { plain[0] = String(first.dropFirst()) }
        func block(indent: Int) -> [String] {
            definition.render(indent: indent).split(separator: "\n").map(String.init)
        }
        func finish(_ result: [String], _ ends: [String], _ change: Change) -> (String, Change) {
            (zip(result, ends).map { $0 + ($1.isEmpty ? newline : $1) }.joined(), change)
        }

        guard let stagesLine = plain.firstIndex(where: { stagesKeyRest($0) != nil }) else {
            if lines.allSatisfy({ $0.trimmingSpaces.isEmpty }) { (lines, endings) = ([], []) }
            let added = ["stages:"] + block(indent: 2)
            return finish(lines + added, endings + added.map { _ in "" }, .added)
        }
        let rest = stagesKeyRest(plain[stagesLine])!
        if rest == "{}" || rest == "null" || rest == "~" {
            lines[stagesLine] = "stages:"
        } else if !rest.isEmpty {
            throw CairnError("\(file):\(stagesLine + 1): stages: written in flow style; cairn stage add only edits a block mapping (one stage name per line), so rewrite it that way or edit the file by hand")
        }
        // The stages mapping runs until the next line of content at column 0 (a comment there may sit between two
        // stages, so it does not end the mapping).
        var end = stagesLine + 1
        while end < plain.count {
            let line = plain[end]
            if indentation(line) == 0 && !isBlankOrComment(line) { break }
            end += 1
        }
        let region = (stagesLine + 1)..<end
        let childIndent = region.first { !isBlankOrComment(plain[$0]) }.map { indentation(plain[$0]) } ?? 2

        if let keyLine = region.first(where: { indentation(plain[$0]) == childIndent && keyName(plain[$0]) == definition.name }) {
            guard replace else { throw CairnError("\(file):\(keyLine + 1): stage '\(definition.name)' already exists; bug: the caller checks -f") }
            var blockEnd = keyLine + 1
            while blockEnd < end && (isBlankOrComment(plain[blockEnd]) || indentation(plain[blockEnd]) > childIndent) { blockEnd += 1 }
            // Blank lines and shallow comments just before the next stage belong to it, not to the replaced block.
            while blockEnd > keyLine + 1 && isBlankOrComment(plain[blockEnd - 1])
                    && (plain[blockEnd - 1].trimmingSpaces.isEmpty || indentation(plain[blockEnd - 1]) <= childIndent) {
                blockEnd -= 1
            }
            let added = block(indent: childIndent)
            lines.replaceSubrange(keyLine..<blockEnd, with: added)
            endings.replaceSubrange(keyLine..<blockEnd, with: added.map { _ in "" })
            return finish(lines, endings, .replaced)
        }
        // After the last line that belongs to the mapping: content, or a comment indented into it.
        let last = region.last { !plain[$0].trimmingSpaces.isEmpty && (!isBlankOrComment(plain[$0]) || indentation(plain[$0]) > 0) }
        let insertAt = (last ?? stagesLine) + 1
        let added = block(indent: childIndent)
        if insertAt == lines.count, let last = endings.indices.last, endings[last].isEmpty { endings[last] = newline }
        lines.insert(contentsOf: added, at: insertAt)
        endings.insert(contentsOf: added.map { _ in "" }, at: insertAt)
        return finish(lines, endings, .added)
    }

    /// Lines without their terminators, and the terminators ("\n", "\r\n", or "" for a last line without one).
    /// Works on bytes: "\r\n" is one Character in Swift, so splitting Characters on "\n" would not see it.
    static func splitLines(_ text: String) -> (lines: [String], endings: [String]) {
        var lines: [String] = [], endings: [String] = []
        let bytes = Array(text.utf8)
        var start = 0
        for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            let crlf = i > start && bytes[i - 1] == UInt8(ascii: "\r")
            lines.append(String(decoding: bytes[start..<(crlf ? i - 1 : i)], as: UTF8.self))
            endings.append(crlf ? "\r\n" : "\n")
            start = i + 1
        }
        if start < bytes.count {
            lines.append(String(decoding: bytes[start...], as: UTF8.self))
            endings.append("")
        }
        return (lines, endings)
    }

    /// For a top-level `stages:` key line, what follows the colon (comment removed, trimmed); nil for other lines.
    static func stagesKeyRest(_ line: String) -> String? {
        for key in ["stages", "\"stages\"", "'stages'"] where line.hasPrefix(key) {
            var rest = line.dropFirst(key.count)
            while rest.first == " " { rest.removeFirst() }
            guard rest.first == ":" else { continue }
            rest.removeFirst()
            guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { continue }
            if let hash = rest.range(of: " #") ?? rest.range(of: "\t#") { rest = rest[..<hash.lowerBound] }
            return String(rest).trimming(" \t")
        }
        return nil
    }

    /// The key of a `key:` or `key: value` line (quotes removed), or nil.
    static func keyName(_ line: String) -> String? {
        let body = line.drop { $0 == " " }
        if let quote = body.first, quote == "\"" || quote == "'" {
            guard let close = body.dropFirst().firstIndex(of: quote) else { return nil }
            let after = body[body.index(after: close)...].drop { $0 == " " }
            return after.first == ":" ? String(body[body.index(after: body.startIndex)..<close]) : nil
        }
        var key = Substring("")
        var rest = body
        while let colon = rest.firstIndex(of: ":") {
            let next = rest.index(after: colon)
            if next == rest.endIndex || rest[next] == " " || rest[next] == "\t" {
                key = body[..<colon]
                break
            }
            rest = rest[next...]
        }
        let name = String(key).trimmingSpaces
        return name.isEmpty ? nil : name
    }

    static func indentation(_ line: String) -> Int { line.prefix { $0 == " " }.count }

    static func isBlankOrComment(_ line: String) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        return trimmed.isEmpty || trimmed.first == "#"
    }
}

extension String {
    func trimming(_ set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
