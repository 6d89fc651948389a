import Basics

/// What the stat cache remembers of one file: its stat data when it was hashed, its content id, and the
/// wall-clock time just before that stat was taken.
public struct StatCacheEntry: Sendable, Equatable {
    public var stat: FileStat
    public var id: ObjectID
    /// Wall-clock nanoseconds just before the file was lstat'ed for hashing (taken by the caller).
    public var observedNs: Int64

    public init(stat: FileStat, id: ObjectID, observedNs: Int64) {
        self.stat = stat
        self.id = id
        self.observedNs = observedNs
    }
}

extension StatCache {
    /// How much older than the observation a file's mtime must be before its entry is trusted. One second
    /// covers file systems whose timestamps are coarser than nanoseconds (ext3, HFS+, FAT has 2 s but is
    /// not a target; network file systems whose clocks lag a little).
    public static let racyMarginNs: Int64 = 1_000_000_000

    /// Whether `entry.id` may be used for a file whose lstat now gives `current`, without reading the file.
    ///
    /// The stat must be exactly the recorded one (inode, size, mtime, ctime and mode): any difference means
    /// the file may have changed. Equal stat is not enough on its own (git's "racy git" problem): a file
    /// written again within the timestamp granularity of the recorded mtime, with the same size, keeps the
    /// same stat yet has new content. Such a rewrite can only happen if the file was still being modified
    /// around the time we looked at it, so an entry is trusted only when the mtime is clearly older than the
    /// observation: `mtime < observedNs - marginNs`. Otherwise the caller re-hashes and records a fresh
    /// entry, whose later observation time makes it trusted next time.
    public static func trusted(_ entry: StatCacheEntry, current: FileStat) -> Bool {
        trusted(entry, current: current, marginNs: racyMarginNs)
    }

    /// The racy rule with an explicit margin (tests; file systems known to have nanosecond timestamps).
    public static func trusted(_ entry: StatCacheEntry, current: FileStat, marginNs: Int64) -> Bool {
        guard entry.stat == current else { return false }
        // Subtract with overflow reporting: a bogus observation near Int64.min must not trap.
        let (limit, overflow) = entry.observedNs.subtractingReportingOverflow(marginNs)
        if overflow { return false }
        return entry.stat.mtimeNs < limit
    }
}
