import Basics

/// A Git commit as the lineage database stores it. Lineage does not import GitBridge (they are siblings);
/// the caller copies GitBridge's `CommitInfo` into this.
public struct CommitRow: Sendable, Equatable, Codable {
    public var sha: String
    public var authorName: String
    public var authorEmail: String
    /// Author time, seconds since the epoch.
    public var time: Int64
    public var timeOffsetMinutes: Int32
    public var subject: String
    /// First parent first; empty for a root commit.
    public var parents: [String]

    public init(sha: String, authorName: String, authorEmail: String, time: Int64, timeOffsetMinutes: Int32 = 0,
                subject: String, parents: [String] = []) {
        self.sha = sha
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.time = time
        self.timeOffsetMinutes = timeOffsetMinutes
        self.subject = subject
        self.parents = parents
    }
}

/// A tracked path holding one content id: the identity of a version, whichever commits contain it.
public struct VersionKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public var path: String
    public var objectID: ObjectID

    public init(path: String, objectID: ObjectID) {
        self.path = path
        self.objectID = objectID
    }

    public var description: String { "\(path)@\(objectID.short)" }

    enum CodingKeys: String, CodingKey { case path, objectID = "id" }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        path = try container.decode(String.self, forKey: .path)
        objectID = try container.decodeObjectID(forKey: .objectID)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(objectID.prefixed, forKey: .objectID)
    }
}

/// One version of one tracked path: what a pointer file said in one commit (or, while `commitSha` is nil,
/// what `cairn add` recorded before any commit: a pending version).
public struct VersionRecord: Sendable, Equatable, Codable {
    /// Repo-relative path of the tracked file or directory (not of its pointer file).
    public var path: String
    public var objectID: ObjectID
    /// "file" or "directory", as in the pointer file.
    public var type: String
    /// Bytes of the file, or of all files of the directory.
    public var size: Int64
    /// 1 for a file; the number of files of a directory.
    public var files: Int
    public var kind: String?
    public var desc: String?
    /// The id this path held in the commit's first parent (for a pending version: in HEAD), i.e. the version
    /// this one replaced; nil when the path was new there.
    public var previousObjectID: ObjectID?
    /// nil for a pending version. The commit fields below are nil exactly when this is.
    public var commitSha: String?
    public var authorName: String?
    public var authorEmail: String?
    public var time: Int64?
    public var timeOffsetMinutes: Int32?
    public var subject: String?

    public init(path: String, objectID: ObjectID, type: String, size: Int64, files: Int, kind: String? = nil,
                desc: String? = nil, previousObjectID: ObjectID? = nil, commitSha: String? = nil,
                authorName: String? = nil, authorEmail: String? = nil, time: Int64? = nil,
                timeOffsetMinutes: Int32? = nil, subject: String? = nil) {
        self.path = path
        self.objectID = objectID
        self.type = type
        self.size = size
        self.files = files
        self.kind = kind
        self.desc = desc
        self.previousObjectID = previousObjectID
        self.commitSha = commitSha
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.time = time
        self.timeOffsetMinutes = timeOffsetMinutes
        self.subject = subject
    }

    public var key: VersionKey { VersionKey(path: path, objectID: objectID) }
    public var isPending: Bool { commitSha == nil }

    enum CodingKeys: String, CodingKey {
        case path, objectID = "id", type, size, files, kind, desc, previousObjectID = "previous_id"
        case commitSha = "commit", authorName = "author_name", authorEmail = "author_email", time
        case timeOffsetMinutes = "time_offset_minutes", subject
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decode(String.self, forKey: .path)
        objectID = try c.decodeObjectID(forKey: .objectID)
        type = try c.decode(String.self, forKey: .type)
        size = try c.decode(Int64.self, forKey: .size)
        files = try c.decode(Int.self, forKey: .files)
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        desc = try c.decodeIfPresent(String.self, forKey: .desc)
        previousObjectID = try c.decodeObjectIDIfPresent(forKey: .previousObjectID)
        commitSha = try c.decodeIfPresent(String.self, forKey: .commitSha)
        authorName = try c.decodeIfPresent(String.self, forKey: .authorName)
        authorEmail = try c.decodeIfPresent(String.self, forKey: .authorEmail)
        time = try c.decodeIfPresent(Int64.self, forKey: .time)
        timeOffsetMinutes = try c.decodeIfPresent(Int32.self, forKey: .timeOffsetMinutes)
        subject = try c.decodeIfPresent(String.self, forKey: .subject)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encode(objectID.prefixed, forKey: .objectID)
        try c.encode(type, forKey: .type)
        try c.encode(size, forKey: .size)
        try c.encode(files, forKey: .files)
        try c.encodeIfPresent(kind, forKey: .kind)
        try c.encodeIfPresent(desc, forKey: .desc)
        try c.encodeIfPresent(previousObjectID?.prefixed, forKey: .previousObjectID)
        try c.encodeIfPresent(commitSha, forKey: .commitSha)
        try c.encodeIfPresent(authorName, forKey: .authorName)
        try c.encodeIfPresent(authorEmail, forKey: .authorEmail)
        try c.encodeIfPresent(time, forKey: .time)
        try c.encodeIfPresent(timeOffsetMinutes, forKey: .timeOffsetMinutes)
        try c.encodeIfPresent(subject, forKey: .subject)
    }
}

extension KeyedDecodingContainer {
    /// Ids are written as `sha256:<hex>`, the pointer-file form; bare 64-hex is accepted too.
    func decodeObjectID(forKey key: Key) throws -> ObjectID {
        let text = try decode(String.self, forKey: key)
        guard let id = ObjectID(prefixed: text) ?? ObjectID(hex: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self,
                                                   debugDescription: "'\(text)' is not a sha256:<64 hex> id")
        }
        return id
    }

    func decodeObjectIDIfPresent(forKey key: Key) throws -> ObjectID? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeObjectID(forKey: key)
    }
}
