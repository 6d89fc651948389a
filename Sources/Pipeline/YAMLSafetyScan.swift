import Basics

/// A cheap pass over YAML text before Yams composes it. Yams builds the tree recursively and expands aliases by
/// copying, so a deeply nested or alias-heavy file must be refused before it gets there. The scan does not parse
/// YAML; it computes an upper bound of the nesting depth (indentation levels, `- ` entries, flow brackets) and
/// counts aliases. The exact depth limit is applied afterwards, on the composed tree; this bound only has to be
/// safe (never below the real depth) and loose enough that real files pass.
enum YAMLSafetyScan {
    /// Far above the exact limit checked later, far below what overflows a thread's stack.
    static let depthBound = 1024

    static func check(_ text: String, file: String) throws {
        var indentStack: [Int] = []
        var flowDepth = 0
        var quote: UInt8? = nil
        var blockScalarIndent: Int? = nil
        var aliases = 0
        var lineNumber = 0
        for lineSub in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Array(lineSub)
            var indent = 0
            while indent < line.count, line[indent] == UInt8(ascii: " ") { indent += 1 }
            let blank = indent == line.count || line[indent] == UInt8(ascii: "#") || line[indent] == UInt8(ascii: "\r")
            if let scalarIndent = blockScalarIndent {
                if blank || indent > scalarIndent { continue }
                blockScalarIndent = nil
            }
            if blank && quote == nil { continue }
            if quote == nil && flowDepth == 0 {
                while let top = indentStack.last, top > indent { indentStack.removeLast() }
                if indentStack.last != indent { indentStack.append(indent) }
            }
            var extra = 0
            var i = indent
            var valueStart = quote == nil
            func bound() -> Int { 2 * indentStack.count + extra + flowDepth + 2 }
            while i < line.count {
                let c = line[i]
                if let q = quote {
                    if q == UInt8(ascii: "\"") && c == UInt8(ascii: "\\") { i += 2; continue }
                    if c == q {
                        if q == UInt8(ascii: "'") && i + 1 < line.count && line[i + 1] == q { i += 2; continue }
                        quote = nil
                    }
                    i += 1
                    continue
                }
                let next: UInt8 = i + 1 < line.count ? line[i + 1] : UInt8(ascii: " ")
                let nextIsSpace = next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") || next == UInt8(ascii: "\r")
                if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { i += 1; continue }
                if c == UInt8(ascii: "#") && (i == 0 || line[i - 1] == UInt8(ascii: " ") || line[i - 1] == UInt8(ascii: "\t")) { break }
                if valueStart {
                    switch c {
                    case UInt8(ascii: "\""), UInt8(ascii: "'"):
                        quote = c; valueStart = false; i += 1; continue
                    case UInt8(ascii: "["), UInt8(ascii: "{"):
                        flowDepth += 1
                        if bound() > depthBound { throw tooDeep(file, lineNumber) }
                        i += 1; continue
                    case UInt8(ascii: "-") where nextIsSpace && flowDepth == 0,
                         UInt8(ascii: "?") where nextIsSpace && flowDepth == 0:
                        extra += 1
                        if bound() > depthBound { throw tooDeep(file, lineNumber) }
                        i += 2; continue
                    case UInt8(ascii: "|") where flowDepth == 0, UInt8(ascii: ">") where flowDepth == 0:
                        blockScalarIndent = indent
                        i = line.count; continue
                    case UInt8(ascii: "*"):
                        aliases += 1
                        if aliases > PipelineFileReader.maxAliases {
                            throw CairnError("\(file):\(lineNumber): more than \(PipelineFileReader.maxAliases) aliases; refusing to expand them")
                        }
                    case UInt8(ascii: "&"), UInt8(ascii: "!"):
                        // An anchor or a tag precedes the value: skip its name, the value still starts after it.
                        while i < line.count && line[i] != UInt8(ascii: " ") { i += 1 }
                        continue
                    default: break
                    }
                    valueStart = false
                }
                if flowDepth > 0 {
                    if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") { flowDepth -= 1 }
                    if c == UInt8(ascii: ",") || c == UInt8(ascii: ":") || c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
                        if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") { flowDepth += 1 }
                        if bound() > depthBound { throw tooDeep(file, lineNumber) }
                        valueStart = true
                    }
                } else if c == UInt8(ascii: ":") && nextIsSpace {
                    extra += 1
                    if bound() > depthBound { throw tooDeep(file, lineNumber) }
                    valueStart = true
                }
                i += 1
            }
            if bound() > depthBound { throw tooDeep(file, lineNumber) }
        }
    }

    private static func tooDeep(_ file: String, _ line: Int) -> CairnError {
        CairnError("\(file):\(line): nested deeper than \(PipelineFileReader.maxDepth) levels")
    }
}
