import Basics
import Yams

/// YAML text → `SourceNode`, with YAML 1.2 core-schema scalars (what DVC's ruamel.yaml reads: `yes`/`on` are
/// strings, `1e3` is a number), merge keys (`<<: *base`), duplicate keys refused, and the reader's limits.
enum YAMLDocument {
    static func compose(_ text: String, file: String, nodeLimit: Int = PipelineFileReader.maxNodes) throws -> SourceNode {
        try YAMLSafetyScan.check(text, file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw CairnError("\(file): not valid YAML: \(describe(error))")
        }
        guard let root else { return SourceNode(.scalar(.null), line: 1) }
        var budget = nodeLimit
        return try convert(root, file: file, depth: 0, limit: nodeLimit, budget: &budget)
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            return "line \(mark.line): \(problem)" + (context.map { " \($0.text)" } ?? "")
        case .composer(_, let problem, let mark, _):
            return "line \(mark.line): \(problem)"
        default:
            return "\(error)".split(separator: "\n").first.map(String.init) ?? "parse error"
        }
    }

    private static func convert(_ node: Node, file: String, depth: Int, limit: Int, budget: inout Int) throws -> SourceNode {
        budget -= 1
        let line = node.mark?.line ?? 0
        guard budget >= 0 else {
            throw CairnError("\(file): expands to more than \(limit) values (aliases?); refusing to load it")
        }
        guard depth <= PipelineFileReader.maxDepth else {
            throw CairnError("\(file):\(line): nested deeper than \(PipelineFileReader.maxDepth) levels")
        }
        switch node {
        case .scalar(let scalar):
            return SourceNode(.scalar(try resolve(scalar, file: file)), line: line)
        case .sequence(let sequence):
            return SourceNode(.list(try sequence.map { try convert($0, file: file, depth: depth + 1, limit: limit, budget: &budget) }), line: line)
        case .mapping(let mapping):
            var pairs: [(key: String, keyLine: Int, value: SourceNode)] = []
            var seen: [String: Int] = [:]
            var merged: [(key: String, keyLine: Int, value: SourceNode)] = []
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let keyScalar) = keyNode else {
                    throw CairnError("\(file):\(keyNode.mark?.line ?? line): mapping keys must be plain strings")
                }
                let keyLine = keyScalar.mark?.line ?? line
                let value = try convert(valueNode, file: file, depth: depth + 1, limit: limit, budget: &budget)
                if keyScalar.string == "<<" && keyScalar.style == .plain {
                    let sources = value.listItems ?? [value]
                    for source in sources {
                        guard let sourcePairs = source.mapPairs else {
                            throw CairnError("\(file):\(keyLine): '<<' merges only mappings, got \(source.typeDescription)")
                        }
                        merged += sourcePairs
                    }
                    continue
                }
                let key = keyScalar.string
                if let first = seen[key] {
                    throw CairnError("\(file):\(keyLine): duplicate key '\(key)' (first defined on line \(first))")
                }
                seen[key] = keyLine
                pairs.append((key, keyLine, value))
            }
            // Explicit keys win over merged ones; among merged sources, the first one wins (YAML merge rules).
            for pair in merged where seen[pair.key] == nil {
                seen[pair.key] = pair.keyLine
                pairs.append(pair)
            }
            return SourceNode(.map(pairs), line: line)
        }
    }

    /// YAML 1.2 core schema for plain scalars; quoted and block scalars are strings; explicit `!!` tags respected.
    static func resolve(_ scalar: Node.Scalar, file: String) throws -> ParamValue {
        let text = scalar.string
        let tag = scalar.tag.description
        if tag == Tag.Name.str.rawValue { return .string(text) }
        let plain = scalar.style == .plain || scalar.style == .any
        if !plain && (tag.isEmpty || tag == "!") { return .string(text) }
        let value = resolvePlain(text)
        switch tag {
        case "tag:yaml.org,2002:int":
            guard case .int = value else { throw CairnError("\(file):\(scalar.mark?.line ?? 0): '\(text)' is not an integer") }
        case "tag:yaml.org,2002:float":
            if case .int(let i) = value { return .float(Double(i)) }
            guard case .float = value else { throw CairnError("\(file):\(scalar.mark?.line ?? 0): '\(text)' is not a number") }
        case "tag:yaml.org,2002:bool":
            guard case .bool = value else { throw CairnError("\(file):\(scalar.mark?.line ?? 0): '\(text)' is not a boolean") }
        default: break
        }
        return value
    }

    static func resolvePlain(_ text: String) -> ParamValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        if let number = parseNumber(text) { return number }
        return .string(text)
    }

    /// Integers (decimal, 0x, 0o, 0b, with `_` separators) and floats (`1.5`, `1e-3`, `.5`, `1.`), as ruamel.yaml's
    /// YAML 1.2 resolver reads them.
    static func parseNumber(_ text: String) -> ParamValue? {
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "-" || sign == "+" { negative = sign == "-"; body = body.dropFirst() }
        guard let first = body.first, first.isASCII, first.isNumber || first == "." else { return nil }
        let cleaned = body.replacingOccurrences(of: "_", with: "")
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where cleaned.hasPrefix(prefix) {
            guard let v = Int(cleaned.dropFirst(2), radix: radix) else { return nil }
            return .int(negative ? -v : v)
        }
        if cleaned.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let v = Int(cleaned) else { return Double(cleaned).map { .float(negative ? -$0 : $0) } }
            return .int(negative ? -v : v)
        }
        // A float needs digits and a '.' or an exponent, nothing else.
        let allowed = cleaned.allSatisfy { $0.isASCII && ($0.isNumber || "eE+-.".contains($0)) }
        guard allowed, cleaned.contains(where: { $0.isNumber }), cleaned.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }),
              let v = Double(cleaned) else { return nil }
        return .float(negative ? -v : v)
    }
}

private extension Substring {
    func replacingOccurrences(of target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
