#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one seam through which `FS` writes files: open-for-write, write, fsync, rename. Production uses the
/// real calls; unit tests swap in a table that fails the N-th call with ENOSPC or EIO (as swift-system's
/// Mocking does) to prove that every write path turns the failure into a clean error and leaves no partial file.
/// Each entry returns the call's result and sets `errno` on failure, like the system call it stands for.
public struct Syscalls: @unchecked Sendable {
    public var open: (UnsafePointer<CChar>, Int32, mode_t) -> Int32
    public var write: (Int32, UnsafeRawPointer?, Int) -> Int
    public var fsync: (Int32) -> Int32
    public var rename: (UnsafePointer<CChar>, UnsafePointer<CChar>) -> Int32

    public static let system = Syscalls(
        open: { Glibc.open($0, $1, $2) },
        write: { Glibc.write($0, $1, $2) },
        fsync: { Glibc.fsync($0) },
        rename: { Glibc.rename($0, $1) })

    /// The table in use. Only tests replace it (with `Syscalls.withTable`), before starting work.
    nonisolated(unsafe) public static var current = Syscalls.system

    /// Runs `body` with `table` in place, restoring the real calls afterwards.
    public static func withTable<T>(_ table: Syscalls, _ body: () throws -> T) rethrows -> T {
        let saved = current
        current = table
        defer { current = saved }
        return try body()
    }

    /// A table whose `call` ("open", "write", "fsync", "rename") fails with `code` on its `nth` use (1-based) and
    /// every use after; other calls are real.
    public static func failing(_ call: String, errno code: Int32, nth: Int = 1) -> Syscalls {
        let count = Locked(0)
        func shouldFail() -> Bool { count.withLock { $0 += 1; return $0 >= nth } }
        var table = Syscalls.system
        switch call {
        case "open":
            table.open = { path, flags, mode in
                if shouldFail() { errno = code; return -1 }
                return Glibc.open(path, flags, mode)
            }
        case "write":
            table.write = { fd, buf, n in
                if shouldFail() { errno = code; return -1 }
                return Glibc.write(fd, buf, n)
            }
        case "fsync":
            table.fsync = { fd in
                if shouldFail() { errno = code; return -1 }
                return Glibc.fsync(fd)
            }
        default:
            table.rename = { from, to in
                if shouldFail() { errno = code; return -1 }
                return Glibc.rename(from, to)
            }
        }
        return table
    }
}
