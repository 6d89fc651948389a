import Workspace

/// Writes single YAML scalars for the text cairn inserts into cairn.yaml (`cairn stage add`): plain when the text
/// reads back as the same string, double-quoted otherwise. Conservative on purpose: anything a YAML 1.1 or 1.2
/// reader could take for another type (`yes`, `1e3`, `~`) or for syntax (`: `, ` #`, a leading `*`) is quoted.
enum YAMLText {
    static let specials: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "<<", "="]

    static func scalar(_ s: String) -> String { isPlainSafe(s) ? s : quoted(s) }

    /// A mapping key: the same rules (a key is a scalar).
    static func key(_ s: String) -> String { scalar(s) }

    static func isPlainSafe(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        if specials.contains(s.lowercased()) { return false }
        if "-?:,[]{}#&*!|>'\"%@` \t".unicodeScalars.contains(first) { return false }
        if "0123456789+.".unicodeScalars.contains(first) && looksNumeric(s) { return false }
        if last == " " || last == ":" { return false }
        if s.contains(": ") || s.contains(" #") { return false }
        return !s.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) || $0 == "\u{FEFF}" }
    }

    /// Could a YAML 1.1 or 1.2 reader take this for a number (`1e3`, `0x1F`, `.5`, `+1`, `12:30`, `.inf`)? Paths
    /// such as `../data` or `2024/x.csv` cannot.
    static func looksNumeric(_ s: String) -> Bool {
        let lower = s.lowercased()
        if [".inf", "+.inf", ".nan"].contains(lower) { return true }
        return s.unicodeScalars.contains { ("0"..."9").contains($0) }
            && s.unicodeScalars.allSatisfy { "0123456789+-._:eExXoObBaAcCdDfF".unicodeScalars.contains($0) }
    }

    static func quoted(_ s: String) -> String { PointerFile.quotedScalar(s) }
}
