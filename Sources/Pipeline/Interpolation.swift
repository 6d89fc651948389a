/// `${…}` templating as DVC does it (dvc/parsing/interpolate.py): `${name}`, `${a.b.c}`, `${list[0]}` (also
/// `${list.0}`); `\${` escapes; a string that is exactly one `${…}` takes the value's type; inside a larger string
/// only scalars may appear, except that a mapping in `cmd` becomes command-line flags (`--key value`).
public struct InterpolationOptions: Sendable, Equatable {
    /// How a boolean in a mapping expanded into `cmd` is written (DVC's `parsing.bool` config).
    public enum BoolStyle: Sendable { case storeTrue, booleanOptional }
    /// How a list is written (DVC's `parsing.list` config): `--k a b` or `--k a --k b`.
    public enum ListStyle: Sendable { case nargs, append }
    public var bools: BoolStyle = .storeTrue
    public var lists: ListStyle = .nargs
    public init(bools: BoolStyle = .storeTrue, lists: ListStyle = .nargs) {
        self.bools = bools
        self.lists = lists
    }
}

/// One `${…}` found in a string.
struct InterpolationMatch {
    var range: Range<String.Index>
    var expression: String
}

enum Interpolation {
    /// The `${…}` occurrences of `text`, left to right: each runs to the first `}`; one preceded by `\` is not one.
    static func matches(in text: String) -> [InterpolationMatch] {
        var found: [InterpolationMatch] = []
        var i = text.startIndex
        while let dollar = text[i...].firstIndex(of: "$") {
            let brace = text.index(after: dollar)
            guard brace < text.endIndex, text[brace] == "{" else { i = brace; continue }
            if dollar > text.startIndex && text[text.index(before: dollar)] == "\\" { i = brace; continue }
            let innerStart = text.index(after: brace)
            guard let close = text[innerStart...].firstIndex(where: { $0 == "}" || $0 == "\n" }) else { break }
            // Like DVC's regex, an expression does not span lines: look for the next `${` after the newline.
            guard text[close] == "}" else { i = close; continue }
            found.append(InterpolationMatch(range: dollar..<text.index(after: close), expression: String(text[innerStart..<close])))
            i = text.index(after: close)
        }
        return found
    }

    static func contains(_ text: String) -> Bool { !matches(in: text).isEmpty }

    /// Splits `a.b[0].c` into its steps, or says why it is not an expression. The grammar is DVC's: a name, then
    /// `.name` or `[index]` steps; a name is any text without `.`, `[` and `]`.
    static func parse(_ expression: String) -> Result<[String], InterpolationSyntaxError> {
        var steps: [String] = []
        var current = ""
        var chars = expression.makeIterator()
        var expectName = true   // at the start and after '.', a name must follow
        var afterBracket = false
        while let c = chars.next() {
            switch c {
            case ".":
                if expectName && !afterBracket { return .failure(.init(expression: expression, problem: "a name is missing before '.'")) }
                if !afterBracket { steps.append(current) }
                current = ""; expectName = true; afterBracket = false
            case "[":
                if expectName && !afterBracket { return .failure(.init(expression: expression, problem: "a name is missing before '['")) }
                if !afterBracket { steps.append(current) }
                current = ""
                var index = ""
                var closed = false
                while let d = chars.next() {
                    if d == "]" { closed = true; break }
                    if d == "[" || d == "." { return .failure(.init(expression: expression, problem: "'[' without a closing ']'")) }
                    index.append(d)
                }
                guard closed else { return .failure(.init(expression: expression, problem: "'[' without a closing ']'")) }
                guard !index.isEmpty else { return .failure(.init(expression: expression, problem: "an empty index '[]'")) }
                steps.append(index)
                afterBracket = true; expectName = false
            case "]":
                return .failure(.init(expression: expression, problem: "']' without an opening '['"))
            default:
                if afterBracket { return .failure(.init(expression: expression, problem: "text after ']' must start with '.' or '['")) }
                current.append(c); expectName = false
            }
        }
        if afterBracket { return .success(steps) }
        if expectName {
            return .failure(.init(expression: expression, problem: expression.isEmpty ? "the expression is empty" : "a name is missing after '.'"))
        }
        steps.append(current)
        return .success(steps.map(\.trimmingSpaces))
    }

    /// `--key value` flags for a mapping interpolated into `cmd` (DVC's `to_str` of a dict): nested keys flattened
    /// with `.`, strings shell-quoted, booleans as bare flags, lists as `--k a b` or repeated `--k a --k b`.
    static func commandFlags(_ map: ParamMap, options: InterpolationOptions) throws(InterpolationValueError) -> String {
        var words: [String] = []
        for (key, value) in ParamValue.map(map).flattened() {
            switch value {
            case .bool(let b):
                if b { words.append("--\(key)") } else if options.bools == .booleanOptional { words.append("--no-\(key)") }
            case .string(let s):
                words.append("--\(key) \(shellQuote(s))")
            case .list(let items):
                for (n, item) in items.enumerated() {
                    let text: String
                    switch item {
                    case .string(let s): text = shellQuote(s)
                    case .list, .map: throw InterpolationValueError("cannot put the nested list or mapping in '\(key)' into a command")
                    default: text = item.pythonStr
                    }
                    if options.lists == .append || n == 0 { words.append("--\(key) \(text)") } else { words.append(text) }
                }
            case .map:
                continue  // an empty nested mapping flattens to nothing
            default:
                words.append("--\(key) \(value.pythonStr)")
            }
        }
        return words.joined(separator: " ")
    }

    /// Python's shlex.quote: safe words stay as they are, anything else is single-quoted.
    static func shellQuote(_ s: String) -> String {
        if s.isEmpty { return "''" }
        let safe = s.unicodeScalars.allSatisfy { c in
            (c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c))) || "_@%+=:,./-".unicodeScalars.contains(c)
        }
        if safe { return s }
        return "'" + s.replacingAll("'", with: "'\"'\"'") + "'"
    }
}

public struct InterpolationSyntaxError: Error, Sendable {
    public var expression: String
    public var problem: String
}

struct InterpolationValueError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Index>? {
        guard !target.isEmpty else { return nil }
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(target) { return i..<index(i, offsetBy: target.count) }
            i = index(after: i)
        }
        return nil
    }
}
