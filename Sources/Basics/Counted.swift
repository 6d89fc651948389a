/// "1 object", "2 objects": counts in messages agree with their nouns. Every layer that words a message uses it
/// (the command layer through `Display.count`), so "1 objects" cannot creep back in.
public enum Counted {
    public static func of(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
    public static func of(_ n: UInt64, _ noun: String) -> String { of(Int(clamping: n), noun) }
}
