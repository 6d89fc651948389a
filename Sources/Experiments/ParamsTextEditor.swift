import Basics
import Pipeline
import Workspace

/// Changes one value in a params file's text and nothing else: comments, order and the other values stay as they
/// were (a teammate reviewing the experiment's diff sees one line change). YAML and TOML are edited line by line;
/// JSON is written again with two-space indentation.
enum ParamsTextEditor {
    static func set(_ key: String, to override: ParamOverride, in text: String, format: ParamsFile.Format) throws -> String {
        switch format {
        case .yaml: return try setYAML(key, value: yamlText(override), in: text)
        case .toml: return try setTOML(key, value: tomlText(override.value), in: text)
        case .json:
            var content = try JSONReader.parse(text, file: override.file)
            content = replacing(key.split(separator: ".").map(String.init), in: content, with: override.value)
            var out = ""
            writeJSON(content, indent: 0, into: &out)
            return out + "\n"
        }
    }

    // MARK: YAML

    /// Block mappings: the key's path is the chain of less-indented keys above it. Lines inside block scalars
    /// (`|`, `>`) and list items are skipped.
    static func setYAML(_ key: String, value: String, in text: String) throws -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var stack: [(indent: Int, key: String)] = []
        var blockIndent: Int?
        for (number, line) in lines.enumerated() {
            let indent = line.prefix { $0 == " " }.count
            let body = line.dropFirst(indent)
            if body.isEmpty || body.hasPrefix("#") { continue }
            if let block = blockIndent, indent > block { continue }
            blockIndent = nil
            if body.hasPrefix("- ") || body == "-" || body.hasPrefix("---") { continue }
            guard let (name, valueStart) = mappingKey(body) else { continue }
            while let last = stack.last, last.indent >= indent { stack.removeLast() }
            let path = (stack.map(\.key) + [name]).joined(separator: ".")
            let rest = body[valueStart...].drop { $0 == " " }
            if rest.hasPrefix("|") || rest.hasPrefix(">") { blockIndent = indent }
            if path == key {
                let comment = trailingComment(String(rest))
                lines[number] = String(line.prefix(indent)) + body[..<valueStart] + " " + value + comment
                return lines.joined(separator: "\n")
            }
            if rest.isEmpty || rest.hasPrefix("#") || rest.hasPrefix("&") { stack.append((indent, name)) }
        }
        throw CairnError("no line sets '\(key)'")
    }

    /// `name:` at the start of `body`: the key (unquoted) and the index just past the colon.
    static func mappingKey(_ body: Substring) -> (String, Substring.Index)? {
        if let quote = body.first, quote == "\"" || quote == "'" {
            guard let close = body.dropFirst().firstIndex(of: quote) else { return nil }
            let after = body.index(after: close)
            guard after < body.endIndex, body[after] == ":" else { return nil }
            return (String(body[body.index(after: body.startIndex)..<close]), body.index(after: after))
        }
        var index = body.startIndex
        while index < body.endIndex {
            if body[index] == ":" {
                let next = body.index(after: index)
                if next == body.endIndex || body[next] == " " {
                    let name = body[..<index]
                    return name.isEmpty || name.contains("#") ? nil : (String(name), next)
                }
            }
            if body[index] == " " && body[body.index(after: index)...].hasPrefix("#") { return nil }
            index = body.index(after: index)
        }
        return nil
    }

    /// " # comment" after a plain or quoted scalar, kept when the value is replaced.
    static func trailingComment(_ value: String) -> String {
        var quote: Character?
        var previous: Character = " "
        for (offset, character) in value.enumerated() {
            if let open = quote { if character == open { quote = nil } }
            else if character == "\"" || character == "'" { if offset == 0 { quote = character } }
            else if character == "#" && previous == " " {
                // Keep the spaces that aligned the comment.
                let before = value.prefix(offset)
                let spaces = before.reversed().prefix { $0 == " " }.count
                return String(value.dropFirst(offset - spaces))
            }
            previous = character
        }
        return ""
    }

    /// The value as typed when YAML reads it back the same; else a double-quoted string.
    static func yamlText(_ override: ParamOverride) -> String {
        let typed = override.text
        if !typed.isEmpty, !typed.contains("\n"), !typed.contains(" #"),
           let parsed = try? PipelineFileReader.composeYAML("k: " + typed, displayName: "-S").value,
           case .map(let map) = parsed, map["k"] == override.value {
            return typed
        }
        if case .string(let string) = override.value { return PointerFile.quotedScalar(string) }
        return typed
    }

    // MARK: TOML

    static func setTOML(_ key: String, value: String, in text: String) throws -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var table = ""
        for (number, line) in lines.enumerated() {
            let body = line.drop { $0 == " " || $0 == "\t" }
            if body.hasPrefix("[") && !body.hasPrefix("[[") {
                table = body.dropFirst().prefix { $0 != "]" }.filter { $0 != " " && $0 != "\"" }
                continue
            }
            guard let equals = body.firstIndex(of: "="), !body.hasPrefix("#") else { continue }
            let name = body[..<equals].filter { $0 != " " && $0 != "\"" }
            let path = table.isEmpty ? name : table + "." + name
            if path == key {
                let indent = line.prefix { $0 == " " || $0 == "\t" }
                let rest = String(body[body.index(after: equals)...].drop { $0 == " " })
                lines[number] = indent + body[..<equals] + "= " + value + trailingComment(rest)
                return lines.joined(separator: "\n")
            }
        }
        throw CairnError("no line sets '\(key)'")
    }

    static func tomlText(_ value: ParamValue) -> String {
        switch value {
        case .string(let s): return PointerFile.quotedScalar(s)
        case .list(let items): return "[" + items.map(tomlText).joined(separator: ", ") + "]"
        case .null: return "\"\""
        default: var out = ""; writeJSON(value, indent: 0, into: &out); return out
        }
    }

    // MARK: JSON

    static func replacing(_ path: [String], in value: ParamValue, with new: ParamValue) -> ParamValue {
        guard let first = path.first else { return new }
        switch value {
        case .map(var map):
            if let child = map[first] { map[first] = replacing(Array(path.dropFirst()), in: child, with: new) }
            return .map(map)
        case .list(var items):
            if let index = Int(first), items.indices.contains(index) {
                items[index] = replacing(Array(path.dropFirst()), in: items[index], with: new)
            }
            return .list(items)
        default: return value
        }
    }

    static func writeJSON(_ value: ParamValue, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent + 2), end = String(repeating: " ", count: indent)
        switch value {
        case .map(let map) where !map.isEmpty:
            out += "{\n"
            for (position, entry) in map.entries.enumerated() {
                out += pad
                OrderedJSON.string(entry.key, into: &out)
                out += ": "
                writeJSON(entry.value, indent: indent + 2, into: &out)
                out += position == map.count - 1 ? "\n" : ",\n"
            }
            out += end + "}"
        case .list(let items) where !items.isEmpty:
            out += "["
            for (position, item) in items.enumerated() {
                if position > 0 { out += ", " }
                writeJSON(item, indent: indent + 2, into: &out)
            }
            out += "]"
        default:
            out += OrderedJSON.text(.value(value))
        }
    }
}
