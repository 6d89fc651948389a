import Basics

/// A TOML 1.0 reader for params files: tables, arrays of tables, dotted and quoted keys, basic/literal (and
/// multi-line) strings, integers (decimal, hex, octal, binary, `_`), floats (incl. inf/nan), booleans, arrays and
/// inline tables. Dates and times are kept as their text. Key order is kept; redefinitions are errors.
struct TOMLReader {
    private let s: [UInt8]
    private let file: String
    private var i = 0
    private var line = 1
    private var root = ParamValue.map(ParamMap())
    private var definedTables = Set<[String]>()

    static func parse(_ text: String, file: String) throws -> ParamValue {
        var reader = TOMLReader(s: Array(text.utf8), file: file)
        try reader.document()
        return reader.root
    }

    private init(s: [UInt8], file: String) {
        self.s = s
        self.file = file
    }

    private func fail(_ message: String, line: Int? = nil) -> CairnError {
        CairnError("\(file):\(line ?? self.line): not valid TOML: \(message)")
    }
    private var atEnd: Bool { i >= s.count }
    private func peek(_ offset: Int = 0) -> UInt8? { i + offset < s.count ? s[i + offset] : nil }
    private func ch(_ c: Character) -> UInt8 { c.asciiValue! }

    private mutating func skipBlank() { while let c = peek(), c == 0x20 || c == 0x09 { i += 1 } }
    private mutating func skipComment() { if peek() == ch("#") { while let c = peek(), c != 0x0A { i += 1 } } }
    /// Spaces, comments and newlines (inside arrays and between statements).
    private mutating func skipAll() {
        while true {
            skipBlank(); skipComment()
            if peek() == 0x0D { i += 1; continue }
            if peek() == 0x0A { i += 1; line += 1; continue }
            return
        }
    }
    private mutating func endOfLine() throws {
        skipBlank(); skipComment()
        if peek() == 0x0D { i += 1 }
        if atEnd { return }
        guard peek() == 0x0A else { throw fail("expected the end of the line") }
        i += 1; line += 1
    }

    private mutating func document() throws {
        var table: [String] = []
        while true {
            skipAll()
            if atEnd { return }
            let statementLine = line
            if peek() == ch("[") {
                let isArray = peek(1) == ch("[")
                i += isArray ? 2 : 1
                skipBlank()
                let path = try key()
                skipBlank()
                guard peek() == ch("]"), !isArray || peek(1) == ch("]") else { throw fail("expected ']' after the table name") }
                i += isArray ? 2 : 1
                try endOfLine()
                if isArray {
                    var tree = ParamValue.null; swap(&tree, &root)  // no copy of the whole tree per key
                    try update(path.dropLast(), in: &tree) { map in
                        let last = path.last!
                        switch map[last] {
                        case nil: map[last] = .list([.map(ParamMap())])
                        case .some(.list(var items)) where items.allSatisfy({ if case .map = $0 { return true } else { return false } }):
                            items.append(.map(ParamMap())); map[last] = .list(items)
                        default: throw fail("'\(path.joined(separator: "."))' is already defined and is not an array of tables", line: statementLine)
                        }
                    }
                    root = tree
                    definedTables = definedTables.filter { !$0.starts(with: path) || $0 == path }
                } else {
                    guard definedTables.insert(path).inserted else { throw fail("table [\(path.joined(separator: "."))] is defined twice", line: statementLine) }
                    var tree = ParamValue.null; swap(&tree, &root)  // no copy of the whole tree per key
                    try update(path, in: &tree) { _ in }
                    root = tree
                }
                table = path
                continue
            }
            let path = try key()
            skipBlank()
            guard peek() == ch("=") else { throw fail("expected '=' after the key '\(path.joined(separator: "."))'") }
            i += 1
            skipBlank()
            let v = try value(depth: 1)
            try endOfLine()
            var tree = ParamValue.null; swap(&tree, &root)  // no copy of the whole tree per key
            try update(table + path.dropLast(), in: &tree) { map in
                guard map[path.last!] == nil else { throw fail("key '\((table + path).joined(separator: "."))' is defined twice", line: statementLine) }
                map[path.last!] = v
            }
            root = tree
        }
    }

    /// Applies `change` to the table at `path`, creating tables on the way; an array of tables means its last table.
    private func update(_ path: ArraySlice<String>, in value: inout ParamValue, _ change: (inout ParamMap) throws -> Void) throws {
        switch value {
        case .map(var map):
            if let first = path.first {
                var child = map[first] ?? .map(ParamMap())
                try update(path.dropFirst(), in: &child, change)
                map[first] = child
            } else {
                try change(&map)
            }
            value = .map(map)
        case .list(var items):
            guard let last = items.popLast(), case .map = last else { throw fail("a key names a value that is not a table") }
            var child = last
            try update(path, in: &child, change)
            items.append(child)
            value = .list(items)
        default:
            throw fail("a key names a value that is not a table")
        }
    }
    private func update(_ path: [String], in value: inout ParamValue, _ change: (inout ParamMap) throws -> Void) throws {
        try update(path[...], in: &value, change)
    }

    /// `a.b."c d"` → ["a", "b", "c d"].
    private mutating func key() throws -> [String] {
        var parts: [String] = []
        while true {
            skipBlank()
            if peek() == ch("\"") || peek() == ch("'") {
                parts.append(try string(allowMultiline: false))
            } else {
                let start = i
                while let c = peek(), (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == ch("_") || c == ch("-") { i += 1 }
                guard i > start else { throw fail("expected a key") }
                parts.append(String(decoding: s[start..<i], as: UTF8.self))
            }
            skipBlank()
            guard peek() == ch(".") else { return parts }
            i += 1
        }
    }

    private mutating func value(depth: Int) throws -> ParamValue {
        guard depth <= PipelineFileReader.maxDepth else { throw fail("nested deeper than \(PipelineFileReader.maxDepth) levels") }
        guard let c = peek() else { throw fail("expected a value") }
        switch c {
        case ch("\""), ch("'"): return .string(try string(allowMultiline: true))
        case ch("["):
            i += 1
            var items: [ParamValue] = []
            while true {
                skipAll()
                if peek() == ch("]") { i += 1; return .list(items) }
                items.append(try value(depth: depth + 1))
                skipAll()
                if peek() == ch(",") { i += 1; continue }
                guard peek() == ch("]") else { throw fail("expected ',' or ']' in an array") }
                i += 1
                return .list(items)
            }
        case ch("{"):
            i += 1
            var table = ParamValue.map(ParamMap())
            skipBlank()
            if peek() == ch("}") { i += 1; return table }
            while true {
                let path = try key()
                skipBlank()
                guard peek() == ch("=") else { throw fail("expected '=' in an inline table") }
                i += 1
                skipBlank()
                let v = try value(depth: depth + 1)
                try update(path.dropLast(), in: &table) { map in
                    guard map[path.last!] == nil else { throw fail("key '\(path.joined(separator: "."))' is defined twice") }
                    map[path.last!] = v
                }
                skipBlank()
                if peek() == ch(",") { i += 1; skipBlank(); continue }
                guard peek() == ch("}") else { throw fail("expected ',' or '}' in an inline table") }
                i += 1
                return table
            }
        default:
            let start = i
            while let c = peek(), c != ch(","), c != ch("]"), c != ch("}"), c != ch("#"), c != 0x0A, c != 0x0D { i += 1 }
            var text = String(decoding: s[start..<i], as: UTF8.self)
            while text.last == " " || text.last == "\t" { text.removeLast() }
            return try scalar(text)
        }
    }

    private func scalar(_ text: String) throws -> ParamValue {
        switch text {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        if text.isEmpty { throw fail("expected a value") }
        // Dates and times (1979-05-27, 07:32:00, 1979-05-27T07:32:00Z) are kept as text.
        if text.count >= 8, text.contains(":") || (text.count >= 10 && Array(text)[4] == "-" && Array(text)[7] == "-") {
            return .string(text)
        }
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" { negative = sign == "-"; body = body.dropFirst() }
        if body.hasPrefix("_") || body.hasSuffix("_") || body.contains("__") { throw fail("bad number '\(text)'") }
        let digits = String(body.filter { $0 != "_" })
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where digits.hasPrefix(prefix) {
            guard !negative, text.first != "+", let v = Int(digits.dropFirst(2), radix: radix) else { throw fail("bad number '\(text)'") }
            return .int(v)
        }
        if digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard digits == "0" || !digits.hasPrefix("0"), let v = Int(digits) else { throw fail("bad number '\(text)'") }
            return .int(negative ? -v : v)
        }
        guard digits.allSatisfy({ $0.isASCII && ($0.isNumber || "eE+-.".contains($0)) }), digits.first?.isNumber == true,
              digits.last?.isNumber == true, let d = Double(digits) else {
            throw fail("unexpected value '\(text)' (strings must be quoted)")
        }
        return .float(negative ? -d : d)
    }

    private mutating func string(allowMultiline: Bool) throws -> String {
        let quote = s[i]
        let literal = quote == ch("'")
        let multiline = allowMultiline && peek(1) == quote && peek(2) == quote
        i += multiline ? 3 : 1
        if multiline {  // a newline right after the opening quotes is dropped
            if peek() == 0x0D { i += 1 }
            if peek() == 0x0A { i += 1; line += 1 }
        }
        var out = [UInt8]()
        while let c = peek() {
            if c == quote {
                if !multiline { i += 1; return String(decoding: out, as: UTF8.self) }
                if peek(1) == quote && peek(2) == quote {
                    // Up to two quotes may end the content: """a"""" is `a"`.
                    var extra = 0
                    while extra < 2, peek(3 + extra) == quote { extra += 1 }
                    out += Array(repeating: quote, count: extra)
                    i += 3 + extra
                    return String(decoding: out, as: UTF8.self)
                }
            }
            if c == 0x0A {
                guard multiline else { throw fail("newline in a single-line string") }
                line += 1
            }
            if c == ch("\\") && !literal {
                i += 1
                guard let e = peek() else { break }
                switch e {
                case ch("n"): out.append(0x0A)
                case ch("t"): out.append(0x09)
                case ch("r"): out.append(0x0D)
                case ch("b"): out.append(0x08)
                case ch("f"): out.append(0x0C)
                case ch("\""): out.append(0x22)
                case ch("\\"): out.append(0x5C)
                case ch("u"), ch("U"):
                    let n = e == ch("u") ? 4 : 8
                    guard i + n < s.count, let code = UInt32(String(decoding: s[(i + 1)...(i + n)], as: UTF8.self), radix: 16),
                          let scalar = Unicode.Scalar(code) else { throw fail("bad unicode escape") }
                    out += Array(String(Character(scalar)).utf8)
                    i += n
                case 0x20 where multiline, 0x09 where multiline, 0x0A where multiline, 0x0D where multiline:
                    // A backslash at the end of a line trims the newline and the whitespace after it.
                    while let w = peek(), w == 0x20 || w == 0x09 || w == 0x0A || w == 0x0D { if w == 0x0A { line += 1 }; i += 1 }
                    continue
                default: throw fail("bad escape '\\\(Character(Unicode.Scalar(e)))'")
                }
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
        throw fail("unterminated string")
    }
}
