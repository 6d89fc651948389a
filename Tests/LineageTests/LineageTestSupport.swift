import Basics
import Lineage

/// Small, readable test data: ids and shas made from numbers.
enum LineageSamples {
    static func id(_ n: Int) -> ObjectID { ObjectID.of(Array("object \(n)".utf8)) }

    /// A 40-hex sha whose last digits are `n` in decimal (valid hex), so tests can tell commits apart.
    static func sha(_ n: Int) -> String {
        let digits = String(n)
        return String(repeating: "0", count: 40 - digits.count) + digits
    }

    static func commit(_ n: Int, time: Int64, parents: [Int] = [], subject: String? = nil) -> CommitRow {
        CommitRow(sha: sha(n), authorName: "Author \(n)", authorEmail: "a\(n)@example.com", time: time,
                  timeOffsetMinutes: 60, subject: subject ?? "commit \(n)", parents: parents.map(sha))
    }

    static func version(_ path: String, _ object: Int, previous: Int? = nil, size: Int64 = 100,
                        kind: String? = "dataset", desc: String? = nil) -> VersionRecord {
        VersionRecord(path: path, objectID: id(object), type: "file", size: size, files: 1, kind: kind, desc: desc,
                      previousObjectID: previous.map(id))
    }
}
