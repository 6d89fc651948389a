import Basics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shared plumbing for tests that run real servers (SeaweedFS for S3, sshd for SFTP) on 127.0.0.1.
/// Used by RemotesTests and EndToEndTests; the servers themselves live in one file each next to this one.
public enum TestServers {
    /// Whether a missing server binary must fail the test instead of skipping it. CI (`CI` set) installs every
    /// server, so there a missing binary is a broken setup, not a reason to skip.
    public static var mustRun: Bool { getenv("CI") != nil }

    /// The absolute path of `tool` on PATH (or among `extraFolders`), nil when it is not installed.
    public static func locate(_ tool: String, extraFolders: [String] = []) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        let folders = path.split(separator: ":").map(String.init) + extraFolders
        for folder in folders where !folder.isEmpty {
            let candidate = folder + "/" + tool
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it back, close).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CairnError("socket failed: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic -> Bool in
                bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else { throw CairnError("bind to 127.0.0.1:0 failed: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` right now.
    public static func isListening(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Polls until `ready()` holds or `timeout` seconds pass; returns whether it became ready.
    public static func waitUntil(timeout: Double, interval: Double = 0.1, _ ready: () -> Bool) -> Bool {
        let deadline = Double(FS.nowNs()) / 1e9 + timeout
        while Double(FS.nowNs()) / 1e9 < deadline {
            if ready() { return true }
            usleep(useconds_t(interval * 1e6))
        }
        return ready()
    }
}
