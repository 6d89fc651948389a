/// The error every cairn layer throws. The CLI prints `description` as one line on stderr and exits
/// with `exitCode` (1 for failures; usage errors are ArgumentParser's and exit 2).
public struct CairnError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is, so callers can tell a local disk problem from bad data or a remote's fault
    /// (fetch must not blame the remote for a full local disk).
    public enum Kind: Sendable, Equatable {
        /// Anything else: bad input, a refusal, data that fails verification.
        case failure
        /// A system call on a local file failed (errno), other than running out of space.
        case localIO(errno: Int32)
        /// The local disk or quota is full (ENOSPC, EDQUOT).
        case noSpace
        /// An internal invariant broke.
        case bug
    }

    public var message: String
    public var exitCode: Int32
    public var kind: Kind

    public init(_ message: String, exitCode: Int32 = 1, kind: Kind = .failure) {
        self.message = message
        self.exitCode = exitCode
        self.kind = kind
    }

    public var description: String { message }

    /// True for failures of this machine's file system (I/O errors, a full disk), not of the data or a remote.
    public var isLocalIO: Bool {
        switch kind {
        case .localIO, .noSpace: return true
        case .failure, .bug: return false
        }
    }

    /// An error from a system call, with the path it concerned and the errno text.
    public static func posix(_ call: String, _ path: String, errno code: Int32) -> CairnError {
        let kind: Kind = (code == ENOSPC || code == EDQUOT) ? .noSpace : .localIO(errno: code)
        return CairnError("\(path): \(call) failed: \(String(cString: strerror(code)))", kind: kind)
    }

    /// An internal invariant broke. Says so, so users report it instead of blaming their data.
    public static func bug(_ what: String) -> CairnError {
        CairnError("internal error (this is a bug in cairn): \(what)", kind: .bug)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
