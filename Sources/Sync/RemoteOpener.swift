import Basics
import Workspace
import Remotes
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a configured remote into a `Remote` ready for transfers: the right kind for its URL, its settings
/// and credentials resolved, wrapped in bounded retries (RetryingRemote: an unreachable endpoint fails in
/// seconds, throttling and 5xx are retried with backoff).
public enum RemoteOpener {
    /// Parallel transfers when neither `-j` nor the remote's `jobs` setting says otherwise: network transfers
    /// mostly wait, so more than the cores.
    public static let defaultJobs = 8

    public static func open(_ configured: ConfiguredRemote) throws -> any Remote {
        let base: any Remote
        switch configured.url.kind {
        case .local(let path):
            base = try LocalRemote(root: path)
        case .s3:
            let environment = environment
            base = try S3Remote(url: configured.url, options: configured.options, environment: environment,
                                home: home(environment))
        case .ssh:
            base = try SFTPRemote(url: configured.url, options: configured.options, environment: environment)
        }
        return RetryingRemote(wrapping: base)
    }

    /// `-j` wins, then the remote's `jobs` setting, then `defaultJobs`.
    public static func jobs(_ configured: ConfiguredRemote, override: Int?) -> Int {
        if let override { return max(1, override) }
        if let text = configured.options["jobs"], let value = Int(text), value > 0 { return value }
        return defaultJobs
    }

    /// The user's home folder (for ~/.aws and ~/.ssh): $HOME, else the password database.
    static func home(_ environment: [String: String]) -> String {
        if let home = environment["HOME"], !home.isEmpty { return home }
        if let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir { return String(cString: dir) }
        return "/"
    }

    /// The process environment, for credentials (AWS_*) and HOME.
    static var environment: [String: String] {
        var values: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") { values[String(text[..<eq])] = String(text[text.index(after: eq)...]) }
            pointer += 1
        }
        return values
    }
}
