import Basics

/// Just enough of the POSIX shell's grammar to find, in a stage's command, the programs it starts and the variables
/// it reads (RunEnvironmentCapture). Quotes and backslashes are honoured; what is not understood is skipped, never
/// an error: the command itself is run by /bin/sh, this only describes it.
extension RunEnvironmentCapture {
    /// The first word of each simple command in `command` (split at `;`, `&`, `|`, `(`, `)` and newlines), after
    /// variable assignments and wrappers such as `env` or `time`; shell builtins are left out.
    static func programWords(_ command: String) -> [String] {
        var words: [String] = []
        for segment in simpleCommands(command) {
            var expectingProgram = true
            var afterWrapper = false, optionArgument = false
            for word in segment {
                guard expectingProgram else { break }
                if optionArgument { optionArgument = false; continue }
                if afterWrapper && ["-n", "-u", "-C", "-S", "-p"].contains(word) { optionArgument = true; continue }
                if isAssignment(word) || (afterWrapper && word.hasPrefix("-")) { continue }
                if wrappers.contains(word) { afterWrapper = true; continue }
                expectingProgram = false
                if word.isEmpty || builtins.contains(word) || word.hasPrefix("$") { continue }
                words.append(word)
            }
        }
        return words
    }

    /// The names in `$NAME` and `${NAME...}` outside single quotes, in order of appearance (`$1`, `$@`, `$?` and the
    /// like are not variables of the environment).
    static func referencedVariables(_ command: String) -> [String] {
        let scalars = Array(command.unicodeScalars)
        var names: [String] = []
        var index = 0, inSingle = false, inDouble = false
        func isNameStart(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.isASCII && c.properties.isAlphabetic) }
        func isName(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || ("0"..."9").contains(c) }
        while index < scalars.count {
            let c = scalars[index]
            if c == "\\" && !inSingle { index += 2; continue }
            if c == "'" && !inDouble { inSingle.toggle() }
            if c == "\"" && !inSingle { inDouble.toggle() }
            if c == "$" && !inSingle && index + 1 < scalars.count {
                var start = index + 1
                if scalars[start] == "{" { start += 1 }
                var end = start
                if end < scalars.count, isNameStart(scalars[end]) {
                    while end < scalars.count, isName(scalars[end]) { end += 1 }
                    names.append(String(String.UnicodeScalarView(scalars[start..<end])))
                }
                index = max(end, index + 1)
                continue
            }
            index += 1
        }
        return names
    }

    static func isAssignment(_ word: String) -> Bool {
        guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return false }
        return word[..<equals].allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
            && !(word.first?.isNumber ?? true)
    }

    /// The words of each simple command, quotes removed.
    static func simpleCommands(_ command: String) -> [[String]] {
        var segments: [[String]] = [], words: [String] = [], word = ""
        var inWord = false, inSingle = false, inDouble = false, escaped = false
        func endWord() { if inWord { words.append(word) }; word = ""; inWord = false }
        func endSegment() { endWord(); if !words.isEmpty { segments.append(words) }; words = [] }
        for c in command {
            if escaped { word.append(c); inWord = true; escaped = false; continue }
            if inSingle { if c == "'" { inSingle = false } else { word.append(c) }; continue }
            if inDouble {
                if c == "\"" { inDouble = false } else if c == "\\" { escaped = true } else { word.append(c) }
                continue
            }
            switch c {
            case "\\": escaped = true; inWord = true
            case "'": inSingle = true; inWord = true
            case "\"": inDouble = true; inWord = true
            case " ", "\t": endWord()
            case ";", "&", "|", "(", ")", "\n", "`": endSegment()
            case "<", ">": endWord()
            default: word.append(c); inWord = true
            }
        }
        endSegment()
        return segments
    }
}
