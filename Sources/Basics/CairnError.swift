/// The error every cairn layer throws. The CLI prints `description` as one line on stderr and exits
/// with `exitCode` (1 for failures; usage errors are ArgumentParser's and exit 2).
public struct CairnError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var exitCode: Int32

    public init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }

    /// An error from a system call, with the path it concerned and the errno text.
    public static func posix(_ call: String, _ path: String, errno code: Int32) -> CairnError {
        CairnError("\(path): \(call) failed: \(String(cString: strerror(code)))")
    }

    /// An internal invariant broke. Says so, so users report it instead of blaming their data.
    public static func bug(_ what: String) -> CairnError {
        CairnError("internal error (this is a bug in cairn): \(what)")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
