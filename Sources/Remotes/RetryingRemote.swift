import Basics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wraps a remote and retries the failures that can pass (`RemoteError.isRetriable`: an unreachable endpoint,
/// throttling, 5xx) with exponential backoff and full jitter. Everything else — a missing file, refused
/// credentials, a full disk, an invalid name — is thrown at once: retrying would only delay the clear message.
///
/// The total time spent waiting is bounded (`maxTotalDelay`), so an unreachable remote fails in seconds, not
/// minutes, however many attempts are allowed. The last error is rethrown unchanged.
public struct RetryingRemote: ContentHashingRemote {
    public let wrapped: any Remote
    /// Tries per operation, including the first; at least 1.
    public let attempts: Int
    /// The wait before the second try; each further wait doubles, capped at `maxDelay`.
    public let baseDelay: Double
    public let maxDelay: Double
    /// The most time one operation spends waiting between tries, in seconds.
    public let maxTotalDelay: Double
    /// No new try starts once this many seconds have passed since the first: tries that each wait for a
    /// timeout (an endpoint that drops packets) must not add up to minutes.
    public let maxElapsed: Double
    /// How to wait; replaced in tests to observe the delays without sleeping.
    private let sleep: @Sendable (Double) -> Void

    public init(wrapping remote: any Remote, attempts: Int = 5, baseDelay: Double = 0.2, maxDelay: Double = 2,
                maxTotalDelay: Double = 8, maxElapsed: Double = 20,
                sleep: @escaping @Sendable (Double) -> Void = RetryingRemote.sleep) {
        self.wrapped = remote
        self.attempts = max(1, attempts)
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(0, maxDelay)
        self.maxTotalDelay = max(0, maxTotalDelay)
        self.maxElapsed = max(0, maxElapsed)
        self.sleep = sleep
    }

    public var displayName: String { wrapped.displayName }

    public func exists(_ name: String) throws -> Bool { try retrying { try wrapped.exists(name) } }

    public func list(prefix: String) throws -> [RemoteFileInfo] { try retrying { try wrapped.list(prefix: prefix) } }

    public func upload(localFile: String, as name: String) throws {
        try retrying { try wrapped.upload(localFile: localFile, as: name) }
    }

    public func upload(localFile: String, as name: String, contentSHA256: ObjectID) throws {
        try retrying { try wrapped.upload(localFile: localFile, as: name, knownSHA256: contentSHA256) }
    }

    public func download(_ name: String, to localFile: String) throws {
        try retrying { try wrapped.download(name, to: localFile) }
    }

    /// A delete that failed as unreachable may still have happened; a `.notFound` on the retry then means the
    /// file is gone, which is what was asked, so it counts as success after the first try.
    public func delete(_ name: String) throws {
        var firstTry = true
        try retrying {
            defer { firstTry = false }
            do { try wrapped.delete(name) } catch let error as RemoteError where error.kind == .notFound && !firstTry {
                return
            }
        }
    }

    /// The wait before try number `attempt + 1` (attempt counts from 1): a random point in
    /// [0, min(maxDelay, baseDelay · 2^(attempt-1))]. Full jitter spreads the retries of many parallel
    /// transfers, so they do not hit a recovering server in lockstep.
    public func delay(afterAttempt attempt: Int) -> Double {
        let exponent = Double(min(attempt - 1, 30))
        let ceiling = min(maxDelay, baseDelay * pow(2, exponent))
        return ceiling > 0 ? Double.random(in: 0...ceiling) : 0
    }

    func retrying<T>(_ operation: () throws -> T) throws -> T {
        var waited = 0.0
        var attempt = 1
        let started = FS.nowNs()
        while true {
            do {
                return try operation()
            } catch let error as RemoteError where error.isRetriable {
                let pause = min(delay(afterAttempt: attempt), maxTotalDelay - waited)
                let elapsed = Double(FS.nowNs() - started) / 1e9
                if attempt >= attempts || pause < 0 || waited >= maxTotalDelay || elapsed + pause >= maxElapsed {
                    throw error
                }
                sleep(pause)
                waited += pause
                attempt += 1
            }
        }
    }

    /// Sleeps the calling thread; remotes are synchronous and run on worker threads.
    public static let sleep: @Sendable (Double) -> Void = { seconds in
        guard seconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
