import Basics
#if canImport(Glibc)
import Glibc
#endif

/// Formatting of commits and sizes for `log`, `diff` and `lineage`.
enum HistoryDisplay {
    /// `2026-11-26 01:40 +0100`: the author's own clock, as `git log --date=iso` shows it.
    static func date(_ time: Int64?, offsetMinutes: Int32?) -> String {
        guard let time else { return "-" }
        let offset = Int64(offsetMinutes ?? 0)
        guard let parts = calendar(time + offset * 60) else { return String(time) }
        let sign = offset < 0 ? "-" : "+"
        let hours = Int32(abs(offset) / 60), minutes = Int32(abs(offset) % 60)
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)) \(sign)\(two(hours))\(two(minutes))"
    }

    /// `Dec 03 17:05` (UTC): short enough for a table column (`exp show`).
    static func shortDate(_ time: Int64) -> String {
        guard let parts = calendar(time) else { return String(time) }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(months[Int(parts.tm_mon)]) \(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min))"
    }

    private static func calendar(_ time: Int64) -> tm? {
        var seconds = time_t(time)
        var parts = tm()
        return gmtime_r(&seconds, &parts) != nil ? parts : nil
    }

    private static func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Short sha like git's default abbreviation, or `pending` for a version not committed yet.
    static func shortSha(_ sha: String?) -> String { sha.map { String($0.prefix(7)) } ?? "pending" }

    /// `sha256:` and the first 12 hex digits.
    static func shortID(_ prefixed: String?) -> String {
        guard let prefixed else { return "-" }
        return String(prefixed.prefix("sha256:".count + 12))
    }

    static func size(_ bytes: Int64?) -> String { bytes.map { Progress.human($0) } ?? "-" }

    /// `+1.2 MB`, `-300 B`, `±0 B`.
    static func change(_ delta: Int64?) -> String {
        guard let delta else { return "" }
        if delta == 0 { return "±0 B" }
        return (delta > 0 ? "+" : "-") + Progress.human(abs(delta))
    }

    /// `1.0 MB → 1.2 MB (+200 KB)` or one side only.
    static func sizes(old: Int64?, new: Int64?) -> String {
        switch (old, new) {
        case let (old?, new?): return "\(size(old)) → \(size(new)) (\(change(new - old)))"
        case let (nil, new?): return size(new)
        case let (old?, nil): return size(old)
        default: return ""
        }
    }
}
