#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A repository lock on a file, taken with flock(2). The kernel drops it when the holder dies (even by
/// kill -9), so a crashed cairn never leaves a stale lock. A second cairn waits instead of failing
/// (DVC fails after 3 s, #10465): it says so after `noticeAfter` seconds, and gives up after `timeout`
/// naming the pid that holds the lock.
public final class FileLock {
    public enum Mode: Sendable { case shared, exclusive }

    private let fd: Int32
    public let path: String

    /// Blocks until the lock is held. `onWait` is called once when waiting passes `noticeAfter`.
    public init(path: String, mode: Mode, timeout: Double = FileLock.defaultTimeout, noticeAfter: Double = 1.5,
                onWait: (String) -> Void = { FileLock.printNotice($0) }) throws {
        self.path = path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw CairnError.posix("open", path, errno: errno) }
        let op = (mode == .exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB
        let start = FS.nowNs()
        var noticed = false
        while flock(fd, op) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let err = errno
                close(fd)
                throw CairnError.posix("flock", path, errno: err)
            }
            let waited = Double(FS.nowNs() - start) / 1e9
            if waited >= timeout {
                close(fd)
                throw CairnError("timed out after \(Int(timeout)) s waiting for the repository lock \(path)"
                    + " held by \(FileLock.holderDescription(path)); is another cairn command still running?")
            }
            if !noticed && waited >= noticeAfter {
                noticed = true
                onWait("waiting for the repository lock held by \(FileLock.holderDescription(path))...")
            }
            usleep(20_000)
        }
        if mode == .exclusive {
            // Record our pid for the message other processes print while they wait.
            let text = Array("\(getpid())\n".utf8)
            _ = ftruncate(fd, 0)
            _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }

    /// Seconds to wait for a lock; CAIRN_LOCK_TIMEOUT overrides the default of 10 minutes.
    public static var defaultTimeout: Double {
        if let raw = getenv("CAIRN_LOCK_TIMEOUT"), let v = Double(String(cString: raw)) { return v }
        return 600
    }

    static func holderDescription(_ path: String) -> String {
        let text = (try? FS.readString(path))?.trimmingWhitespace ?? ""
        return text.isEmpty ? "another process" : "pid \(text)"
    }

    public static func printNotice(_ message: String) {
        Diagnostics.notice(message)
    }
}

extension String {
    public var trimmingWhitespace: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
