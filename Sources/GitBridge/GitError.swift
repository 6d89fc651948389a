import Basics
import CGit2

/// The one place that turns libgit2 return codes into `CairnError`s. Every message names what it was about
/// (a repository path, a file), the libgit2 function that failed, and libgit2's own explanation from
/// `git_error_last()`, which is per thread and so must be read right after the failing call.
enum GitError {
    /// libgit2's return code for "not found" (GIT_ENOTFOUND), which callers often treat as an answer.
    static let notFound: Int32 = GIT_ENOTFOUND.rawValue

    /// Throws unless `code` is 0 (success; positive values are counts for some calls and also fine).
    static func check(_ code: Int32, _ call: String, subject: @autoclosure () -> String) throws {
        if code >= 0 { return }
        throw error(code, call: call, subject: subject())
    }

    static func error(_ code: Int32, call: String, subject: String) -> CairnError {
        CairnError("\(subject): \(call) failed: \(lastMessage(code))")
    }

    /// libgit2's message for the last failure on this thread, with the return code for bug reports.
    static func lastMessage(_ code: Int32) -> String {
        var text = "unknown libgit2 error"
        if let last = git_error_last(), let message = last.pointee.message {
            text = String(cString: message)
            // libgit2 messages sometimes end with a newline or a period; the line is ours to finish.
            while let end = text.last, end == "\n" || end == "." { text.removeLast() }
        }
        return "\(text) (libgit2 error \(code))"
    }
}

/// libgit2 must be initialised once before any other call. A static let is initialised exactly once, on
/// first use, and thread-safely (swift_once), which is all `git_libgit2_init` needs. It is never shut down:
/// the process ends first, and shutting down while another thread uses libgit2 would be a crash.
enum GitLibrary {
    private static let initResult: Int32 = git_libgit2_init()

    static func ensureInitialized() throws {
        if initResult < 0 { throw GitError.error(initResult, call: "git_libgit2_init", subject: "libgit2") }
    }
}
