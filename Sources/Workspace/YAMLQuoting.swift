extension PointerFile {
    /// A double-quoted YAML scalar with JSON escapes: how every file cairn writes quotes a string that a YAML
    /// reader would otherwise read as something else (pointers here, cairn.lock in Pipeline).
    public static func quotedScalar(_ s: String) -> String { quoted(s) }
}
