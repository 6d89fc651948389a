import Basics

/// One file on a remote, as `list(prefix:)` reports it.
public struct RemoteFileInfo: Equatable, Hashable, Sendable {
    /// The remote-relative, "/"-separated name (see `RemoteName`).
    public var name: String
    public var size: UInt64

    public init(name: String, size: UInt64) {
        self.name = name
        self.size = size
    }
}

/// Where a team's objects live (issue 4): a folder, S3-compatible storage or an SSH server.
///
/// Deliberately small and blob-level, like restic's backend interface: a remote stores named files and knows
/// nothing of objects, packs or hashes. Verification, packing and deciding what to transfer belong to the layers
/// above, so every remote kind stays easy to implement and to test with one conformance suite.
///
/// Semantics every implementation guarantees (docs/remotes.md):
/// - Names are validated with `RemoteName.validate`; a bad name is rejected before any I/O.
/// - `upload` never makes a partial file visible under `name`: readers see the old content or the new, whole.
/// - `download` never leaves a partial file at `localFile`.
/// - Failures of the remote are thrown as `RemoteError`, whose `kind` says whether a retry can help.
/// - Methods are safe to call from several threads at once (different names).
public protocol Remote: Sendable {
    /// A short description for messages, e.g. `s3://bucket/prefix` or `/mnt/team/cairn`.
    var displayName: String { get }

    /// Whether a file named `name` exists.
    func exists(_ name: String) throws -> Bool

    /// Every file whose name starts with `prefix` (a plain string prefix, not only whole directories),
    /// sorted by name. An empty prefix lists everything.
    func list(prefix: String) throws -> [RemoteFileInfo]

    /// Stores the content of `localFile` under `name`, replacing an existing file atomically.
    func upload(localFile: String, as name: String) throws

    /// Copies the file `name` to `localFile`, replacing it atomically; `.notFound` when it does not exist.
    func download(_ name: String, to localFile: String) throws

    /// Deletes the file `name`; `.notFound` when it does not exist.
    func delete(_ name: String) throws
}

extension Remote {
    /// Everything on the remote.
    public func listAll() throws -> [RemoteFileInfo] { try list(prefix: "") }
}

/// A remote that can use the SHA-256 of an upload's content when the caller already knows it (packs are named by
/// it): S3 signs it instead of reading the file once more, and the server then checks the body against it.
public protocol ContentHashingRemote: Remote {
    func upload(localFile: String, as name: String, contentSHA256: ObjectID) throws
}

extension Remote {
    /// Uploads, passing the content's known SHA-256 to remotes that can use it.
    public func upload(localFile: String, as name: String, knownSHA256: ObjectID) throws {
        if let hashing = self as? any ContentHashingRemote {
            try hashing.upload(localFile: localFile, as: name, contentSHA256: knownSHA256)
        } else {
            try upload(localFile: localFile, as: name)
        }
    }
}
