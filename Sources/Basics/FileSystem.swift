#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What cairn needs to know of a file from one lstat: enough for the stat cache and for kind checks.
public struct FileStat: Equatable, Sendable {
    public var inode: UInt64
    public var size: UInt64
    public var mtimeNs: Int64
    public var ctimeNs: Int64
    public var mode: UInt32

    public var isRegular: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFREG) }
    public var isDirectory: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFDIR) }
    public var isSymlink: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFLNK) }
    public var isExecutable: Bool { mode & 0o111 != 0 }

    public init(inode: UInt64, size: UInt64, mtimeNs: Int64, ctimeNs: Int64, mode: UInt32) {
        self.inode = inode; self.size = size; self.mtimeNs = mtimeNs; self.ctimeNs = ctimeNs; self.mode = mode
    }

    public init(_ st: Glibc.stat) {
        self.init(inode: UInt64(st.st_ino), size: UInt64(st.st_size),
                  mtimeNs: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                  ctimeNs: Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec),
                  mode: UInt32(st.st_mode))
    }
}

/// At file scope `stat` names the function; inside `FS` it would name `FS.stat`.
private func systemStat(_ path: String, _ st: inout Glibc.stat) -> Int32 { stat(path, &st) }

/// Thin, throwing wrappers over the POSIX calls cairn uses. Every error names the path and the call.
/// Foundation's FileManager is avoided on hot paths: it is several times slower per file.
public enum FS {
    /// lstat; nil when the path does not exist.
    public static func lstat(_ path: String) throws -> FileStat? {
        var st = Glibc.stat()
        if Glibc.lstat(path, &st) != 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw CairnError.posix("lstat", path, errno: errno)
        }
        return FileStat(st)
    }

    /// stat following symlinks; nil when the path does not exist.
    public static func stat(_ path: String) throws -> FileStat? {
        var st = Glibc.stat()
        if systemStat(path, &st) != 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw CairnError.posix("stat", path, errno: errno)
        }
        return FileStat(st)
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public static func isDirectory(_ path: String) -> Bool { (try? FS.stat(path))??.isDirectory ?? false }

    /// Reads a whole file (for small files: pointers, configs, indexes).
    public static func readAll(_ path: String) throws -> [UInt8] {
        let fd = try openRead(path)
        defer { close(fd) }
        var out = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw CairnError.posix("read", path, errno: errno) }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }

    public static func readString(_ path: String) throws -> String {
        String(decoding: try readAll(path), as: UTF8.self)
    }

    public static func openRead(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw CairnError.posix("open", path, errno: errno) }
        return fd
    }

    /// Writes all bytes to fd, retrying short writes and EINTR.
    public static func writeAll(_ fd: Int32, _ data: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < data.count {
            let n = Syscalls.current.write(fd, data.baseAddress.map { $0 + offset }, data.count - offset)
            if n < 0 { if errno == EINTR { continue }; throw CairnError.posix("write", path, errno: errno) }
            offset += n
        }
    }

    /// Reads up to buffer.count bytes, retrying EINTR; returns 0 at end of file.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n < 0 { if errno == EINTR { continue }; throw CairnError.posix("read", path, errno: errno) }
            return n
        }
    }

    /// Fills the buffer unless end of file comes first; returns the number of bytes read.
    public static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        var total = 0
        while total < buffer.count {
            let n = try read(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[total...]), path: path)
            if n == 0 { break }
            total += n
        }
        return total
    }

    public static func fsync(_ fd: Int32, path: String) throws {
        if Syscalls.current.fsync(fd) != 0 { throw CairnError.posix("fsync", path, errno: errno) }
    }

    /// fsync a directory so that a rename into it survives a crash.
    public static func fsyncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { _ = Glibc.fsync(fd); close(fd) }
    }

    public static func rename(_ from: String, _ to: String) throws {
        if Syscalls.current.rename(from, to) != 0 { throw CairnError.posix("rename to \(to)", from, errno: errno) }
    }

    /// Removes a file; a missing file is not an error.
    public static func removeFile(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT { throw CairnError.posix("unlink", path, errno: errno) }
    }

    /// rm -r: removes a file, or a directory and everything below it. Symlinks are removed, never followed;
    /// a missing path is not an error.
    public static func removeTree(_ path: String) throws {
        guard let st = try lstat(path) else { return }
        if st.isDirectory {
            for entry in try listDirectory(path) { try removeTree(Paths.join(path, entry.name)) }
            if !removeEmptyDirectory(path) { throw CairnError("\(path): could not remove the directory") }
        } else {
            try removeFile(path)
        }
    }

    /// Removes an empty directory; returns false when it is not empty or missing.
    @discardableResult
    public static func removeEmptyDirectory(_ path: String) -> Bool { rmdir(path) == 0 }

    /// mkdir -p.
    /// The default mode lets the umask decide, as git and mkdir(1) do (`cache.shared = group` sets umask 002).
    public static func makeDirectories(_ path: String, mode: mode_t = 0o777) throws {
        if mkdir(path, mode) == 0 { return }
        let err = errno
        if err == EEXIST {
            if isDirectory(path) { return }
            throw CairnError("\(path): exists and is not a directory")
        }
        if err == ENOENT {
            let parent = Paths.parent(path)
            if parent != path && !parent.isEmpty {
                try makeDirectories(parent, mode: mode)
                if mkdir(path, mode) == 0 || errno == EEXIST { return }
            }
        }
        throw CairnError.posix("mkdir", path, errno: err)
    }

    public static func chmod(_ path: String, _ mode: mode_t) throws {
        if Glibc.chmod(path, mode) != 0 { throw CairnError.posix("chmod", path, errno: errno) }
    }

    /// Entries of a directory, without "." and "..". `type` is the d_type (DT_REG, DT_DIR, DT_LNK, or DT_UNKNOWN).
    public static func listDirectory(_ path: String) throws -> [(name: String, type: UInt8)] {
        guard let dir = opendir(path) else { throw CairnError.posix("opendir", path, errno: errno) }
        defer { closedir(dir) }
        var out: [(String, UInt8)] = []
        while let ent = readdir(dir) {
            let name = withUnsafePointer(to: ent.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            out.append((name, ent.pointee.d_type))
        }
        return out
    }

    /// Writes `data` to `path` atomically: a temp file in the same directory, fsync, rename, fsync the directory.
    /// Readers see the old content or the new, never a mix; a crash leaves at most a `.cairn-tmp-*` file behind.
    public static func writeAtomically(_ path: String, _ data: [UInt8], mode: mode_t = 0o644) throws {
        let dir = Paths.parent(path)
        // A short temp name: the target's own name may already be at NAME_MAX.
        let tmp = Paths.join(dir, ".cairn-tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = Syscalls.current.open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if fd < 0 { throw CairnError.posix("open", tmp, errno: errno) }
        // The descriptor is closed exactly once on every path: closing it twice could close a file another
        // thread has just opened under the same number.
        var isOpen = true
        do {
            try data.withUnsafeBytes { try writeAll(fd, $0, path: tmp) }
            // O_CREAT's mode is filtered by umask; keep the requested one.
            if fchmod(fd, mode) != 0 { throw CairnError.posix("fchmod", tmp, errno: errno) }
            try fsync(fd, path: tmp)
            isOpen = false
            if close(fd) != 0 { throw CairnError.posix("close", tmp, errno: errno) }
            try rename(tmp, path)
        } catch {
            if isOpen { close(fd) }
            unlink(tmp)
            throw error
        }
        fsyncDirectory(dir)
    }

    public static func writeAtomically(_ path: String, _ text: String, mode: mode_t = 0o644) throws {
        try writeAtomically(path, Array(text.utf8), mode: mode)
    }

    /// Current wall-clock time in nanoseconds (for racy-git checks against file mtimes).
    public static func nowNs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    public static func currentDirectory() -> String {
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buf, buf.count) != nil else { return "." }
        return String(cString: buf)
    }

    /// realpath(3); nil when the path does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
