import Basics

/// A failure of a remote, classified so callers can decide what to do: retry, tell the user to fix credentials,
/// or report a missing object. `description` is one line that names the remote (and the file, when there is one).
public struct RemoteError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case notFound
        case permissionDenied
        case unreachable
        case noSpace
        case authentication
        case other
    }

    public var kind: Kind
    /// The remote's `displayName`.
    public var remote: String
    /// The remote-relative file name, when the failure concerns one.
    public var name: String?
    /// What went wrong, without the remote and name (they are added by `description`).
    public var message: String
    /// Set for failures of kind `.other` that are known to be transient (HTTP 5xx, throttling).
    private var transient: Bool

    public init(_ kind: Kind, remote: String, name: String? = nil, _ message: String, transient: Bool = false) {
        self.kind = kind
        self.remote = remote
        self.name = name
        self.message = message
        self.transient = transient
    }

    /// Whether trying again later can succeed. An unreachable remote may come back and a throttled request may
    /// pass; a missing file, refused permission, a full disk or wrong credentials stay that way.
    public var isRetriable: Bool { kind == .unreachable || transient }

    public var description: String {
        let subject = name.map { "\(remote): \($0)" } ?? remote
        return "remote \(subject): \(message)"
    }

    /// Classifies an errno from a file-system call on a (possibly network-mounted) folder.
    public static func posix(_ call: String, remote: String, name: String?, errno code: Int32) -> RemoteError {
        let text = "\(call) failed: \(String(cString: strerror(code)))"
        return RemoteError(kind(forErrno: code), remote: remote, name: name, text)
    }

    static func kind(forErrno code: Int32) -> Kind {
        switch code {
        case ENOENT, ENOTDIR: return .notFound
        case EACCES, EPERM, EROFS: return .permissionDenied
        case ENOSPC, EDQUOT, EFBIG: return .noSpace
        // What a stale or dropped network mount (NFS, SMB, sshfs) reports; it may come back.
        case EIO, ETIMEDOUT, ESTALE, ENOTCONN, EHOSTDOWN, EHOSTUNREACH, ENETDOWN, ENETUNREACH, ECONNRESET,
             ECONNREFUSED, EAGAIN, EINTR:
            return .unreachable
        default: return .other
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
