import Basics

/// The INI dialect of `~/.aws/credentials` and `~/.aws/config`, parsed by hand: `[section]` headers,
/// `key = value` lines, comments starting with `#` or `;`. Indented lines belong to nested settings
/// (`s3 =` blocks in the config file) and are skipped, since nothing cairn reads lives there.
struct INIFile: Equatable {
    /// Section name → keys (lowercased) → values. A section repeated in the file merges, later keys win.
    private(set) var sections: [String: [String: String]] = [:]

    init(parsing text: String) {
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.trimmedSpaces
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else { current = nil; continue }
                let name = line[line.index(after: line.startIndex)..<close]
                    .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                current = name
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard let section = current, let first = rawLine.first, first != " " && first != "\t",
                  let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmedSpaces.lowercased()
            var value = line[line.index(after: equals)...].trimmedSpaces
            // An inline comment needs a space before it; a bare '#' can be part of a secret.
            for marker in [" #", " ;", "\t#", "\t;"] {
                if let range = value.range(of: marker) { value = String(value[..<range.lowerBound]) }
            }
            sections[section, default: [:]][key] = value.trimmedSpaces
        }
    }

    func section(_ name: String) -> [String: String]? { sections[name] }

    /// A profile of the config file: `[profile NAME]`, except the default one, which the AWS CLI accepts as
    /// `[default]` or `[profile default]`.
    func profile(_ name: String) -> [String: String]? {
        name == "default" ? sections["default"] ?? sections["profile default"] : sections["profile \(name)"]
    }

    /// The parsed file, nil when it does not exist; unreadable files are an error naming the path.
    static func load(_ path: String) throws -> INIFile? {
        guard FS.exists(path) else { return nil }
        return INIFile(parsing: try FS.readString(path))
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and carriage returns.
    fileprivate var trimmedSpaces: String {
        var slice = Substring(self)
        while let c = slice.first, c == " " || c == "\t" { slice.removeFirst() }
        while let c = slice.last, c == " " || c == "\t" || c == "\r" { slice.removeLast() }
        return String(slice)
    }
}
