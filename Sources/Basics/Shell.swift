/// Quoting for the shell commands cairn prints as hints (`git add …`), so they can be pasted as they are.
public enum Shell {
    public static func quoted(_ s: String) -> String {
        let plain = !s.isEmpty && s.utf8.allSatisfy { c in
            (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || "._-/+@%=:,".utf8.contains(c)
        }
        // A leading "-" would be read as an option: make it a path.
        let path = s.hasPrefix("-") ? "./" + s : s
        if plain { return path }
        return "'" + path.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
