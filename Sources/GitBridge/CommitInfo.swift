import Basics
import CGit2

/// One Git commit as callers see it: plain values, no libgit2 handle, so it can cross threads and be
/// written as JSON (`--json` output always carries the full 40-hex `sha`).
public struct CommitInfo: Sendable, Equatable, Codable {
    /// 40 lowercase hex digits.
    public var sha: String
    /// The first 7 hex digits (git's default abbreviation), for human output.
    public var shortSha: String
    public var authorName: String
    public var authorEmail: String
    /// Author time, seconds since the epoch.
    public var time: Int64
    /// The author's offset from UTC in minutes (e.g. 120 for +0200).
    public var timeOffsetMinutes: Int32
    /// The message's first paragraph on one line, as `git log --format=%s` shows it.
    public var subject: String
    /// Parent shas, first parent first; empty for a root commit.
    public var parents: [String]

    public init(sha: String, authorName: String, authorEmail: String, time: Int64, timeOffsetMinutes: Int32,
                subject: String, parents: [String]) {
        self.sha = sha
        self.shortSha = String(sha.prefix(7))
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.time = time
        self.timeOffsetMinutes = timeOffsetMinutes
        self.subject = subject
        self.parents = parents
    }

    /// Copies what callers need out of a `git_commit`, which the caller keeps owning.
    init(commit: OpaquePointer) {
        var name = "", email = "", time: Int64 = 0, offset: Int32 = 0
        if let author = git_commit_author(commit) {
            name = author.pointee.name.map { String(cString: $0) } ?? ""
            email = author.pointee.email.map { String(cString: $0) } ?? ""
            time = author.pointee.when.time
            offset = author.pointee.when.offset
        }
        // git_commit_summary is git's %s (first paragraph, lines joined by spaces); nil only when out of memory.
        let subject = git_commit_summary(commit).map { String(cString: $0) } ?? ""
        var parents: [String] = []
        let count = git_commit_parentcount(commit)
        parents.reserveCapacity(Int(count))
        for index in 0..<count {
            if let parent = git_commit_parent_id(commit, index) { parents.append(GitOID.hex(parent)) }
        }
        self.init(sha: GitOID.hex(git_commit_id(commit)), authorName: name, authorEmail: email, time: time,
                  timeOffsetMinutes: offset, subject: subject, parents: parents)
    }
}

/// Conversions between `git_oid` and hex text.
enum GitOID {
    /// 40 lowercase hex digits of `oid` (a nil pointer, which libgit2 never returns for a loaded object, gives "").
    static func hex(_ oid: UnsafePointer<git_oid>?) -> String {
        guard let oid else { return "" }
        // git_oid_fmt writes exactly 40 digits and no terminator.
        var digits = [UInt8](repeating: 0, count: 40)
        digits.withUnsafeMutableBytes { raw in
            _ = git_oid_fmt(raw.baseAddress?.assumingMemoryBound(to: CChar.self), oid)
        }
        return String(decoding: digits, as: UTF8.self)
    }

    /// Parses exactly 40 hex digits; nil for anything else (short shas go through revparse instead).
    static func parse(_ text: String) -> git_oid? {
        guard text.utf8.count == 40, text.utf8.allSatisfy({ isHexDigit($0) }) else { return nil }
        var oid = git_oid()
        return git_oid_fromstr(&oid, text) == 0 ? oid : nil
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (97...102).contains(byte) || (65...70).contains(byte)
    }
}
