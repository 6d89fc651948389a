import Basics

/// Applies `${…}` to a part of cairn.yaml. `field` is the stage key being resolved (`cmd`, `deps`, …) or nil for
/// foreach/matrix data and top-level sections, which DVC lets take whole lists and mappings.
struct TemplateResolver {
    var context: VarsContext
    var options: InterpolationOptions

    mutating func resolve(_ node: SourceNode, field: String?, at location: SourceLocation) throws -> SourceNode {
        let here = location.at(node)
        switch node.kind {
        case .scalar(.string(let text)):
            return try resolveString(text, line: node.line, field: field, at: here)
        case .scalar:
            return node
        case .list(let items):
            return SourceNode(.list(try items.map { try resolve($0, field: field, at: here) }), line: node.line)
        case .map(let pairs):
            var out: [(key: String, keyLine: Int, value: SourceNode)] = []
            for pair in pairs {
                let keyHere = here.child(pair.key, line: pair.keyLine)
                let key = Interpolation.contains(pair.key)
                    ? try interpolateIntoString(pair.key, field: field, at: keyHere) : unescape(pair.key)
                out.append((key, pair.keyLine, try resolve(pair.value, field: field, at: keyHere)))
            }
            return SourceNode(.map(out), line: node.line)
        }
    }

    private mutating func resolveString(_ text: String, line: Int, field: String?, at location: SourceLocation) throws -> SourceNode {
        let matches = Interpolation.matches(in: text)
        if matches.isEmpty { return SourceNode(.scalar(.string(unescape(text))), line: line) }
        if matches.count == 1, matches[0].range == text.startIndex..<text.endIndex {
            let value = try lookUp(matches[0], in: text, at: location)
            if !value.isScalar, let field, !field.contains("foreach") {
                if case .map = value, field == "cmd" {
                    // DVC keeps the mapping itself here, which no stage field accepts; say so plainly.
                    throw location.error("'\(text)' is a mapping; to pass it as flags write it inside the command, e.g. 'python train.py \(text)'")
                }
                throw location.error("'\(text)' is \(value.typeDescription); only foreach and matrix take a whole list or mapping")
            }
            return SourceNode.from(value, line: line, interpolated: true)
        }
        return SourceNode(.scalar(.string(try interpolateIntoString(text, field: field, at: location))), line: line)
    }

    private mutating func interpolateIntoString(_ text: String, field: String?, at location: SourceLocation) throws -> String {
        var out = ""
        var index = text.startIndex
        for match in Interpolation.matches(in: text) {
            out += text[index..<match.range.lowerBound]
            let value = try lookUp(match, in: text, at: location)
            switch value {
            case .map(let map) where field == "cmd":
                do { out += try Interpolation.commandFlags(map, options: options) } catch {
                    throw location.error("\(error.message) ('\(text[match.range])')")
                }
            case .map, .list:
                throw location.error("cannot put \(value.typeDescription) into a string ('\(text[match.range])')"
                    + (field == "cmd" && value.isScalar == false ? "; only a mapping expands into command-line flags" : ""))
            default:
                out += value.interpolationText
            }
            index = match.range.upperBound
        }
        out += text[index...]
        return unescape(out)
    }

    private mutating func lookUp(_ match: InterpolationMatch, in text: String, at location: SourceLocation) throws -> ParamValue {
        let steps: [String]
        switch Interpolation.parse(match.expression) {
        case .success(let s): steps = s
        case .failure(let e): throw location.error("bad interpolation '${\(e.expression)}': \(e.problem)")
        }
        guard let value = context.select(steps) else {
            throw location.error("undefined variable '\(match.expression)' in '\(text)'"
                + " (variables come from params.yaml next to cairn.yaml and from 'vars')")
        }
        return value
    }

    /// `\${` stands for a literal `${`.
    private func unescape(_ text: String) -> String { text.replacingAll("\\${", with: "${") }

    /// Refuses `${…}` anywhere in `node` (DVC does not interpolate `vars`).
    static func refuseInterpolation(_ node: SourceNode, at location: SourceLocation) throws {
        switch node.kind {
        case .scalar(.string(let s)) where Interpolation.contains(s):
            throw location.at(node).error("'\(s)': interpolation is not allowed in vars")
        case .list(let items): for item in items { try refuseInterpolation(item, at: location) }
        case .map(let pairs):
            for pair in pairs {
                if Interpolation.contains(pair.key) {
                    throw location.at(node).error("'\(pair.key)': interpolation is not allowed in vars")
                }
                try refuseInterpolation(pair.value, at: location)
            }
        default: break
        }
    }
}
