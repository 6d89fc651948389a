import Basics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A remote in a local or mounted folder (`/path` or `file:///path`).
///
/// Files are stored under their names, directories created as needed. Writes go to a temporary file in the
/// target's own directory, are fsynced and then renamed over the name: rename within one directory is atomic on
/// POSIX file systems (and on NFS/SMB mounts as far as they offer anything), so readers never see a partial file.
public struct LocalRemote: Remote {
    /// The absolute path of the folder.
    public let root: String
    public let displayName: String

    /// Opens the folder at `root`, which must exist: a missing mount point must not silently become an empty
    /// folder on the local disk.
    public init(root: String) throws {
        let absolute = Paths.absolute(root, cwd: FS.currentDirectory())
        self.root = absolute
        self.displayName = absolute
        let st: FileStat?
        do { st = try FS.stat(absolute) } catch {
            throw RemoteError(.other, remote: absolute, "cannot inspect the remote folder: \(error)")
        }
        guard let st else {
            throw RemoteError(.notFound, remote: absolute,
                              "the remote folder does not exist (create it, or mount the share, first)")
        }
        guard st.isDirectory else {
            throw RemoteError(.other, remote: absolute, "the remote path is not a folder")
        }
    }

    /// Opens the folder a `RemoteURL` of kind `.local` names.
    public init(url: RemoteURL) throws {
        guard case .local(let path) = url.kind else {
            throw CairnError("\(url.original): not a local folder remote")
        }
        try self.init(root: path)
    }

    func path(of name: String) -> String { Paths.join(root, name) }

    public func exists(_ name: String) throws -> Bool {
        try RemoteName.validate(name, remote: displayName)
        var st = stat()
        if lstat(path(of: name), &st) == 0 { return st.st_mode & S_IFMT == S_IFREG }
        let code = errno
        if code == ENOENT || code == ENOTDIR { return false }
        throw RemoteError.posix("stat", remote: displayName, name: name, errno: code)
    }

    public func upload(localFile: String, as name: String) throws {
        try RemoteName.validate(name, remote: displayName)
        let source = try FS.openRead(localFile)
        defer { close(source) }
        let target = path(of: name)
        let directory = Paths.parent(target)
        try makeParentDirectories(directory, name: name)
        try writeViaTemporaryFile(in: directory, finalPath: target, name: name, sourcePath: localFile,
                                  remoteSide: true) { temporaryFD, temporaryPath in
            try copy(from: source, sourcePath: localFile, to: temporaryFD, destinationPath: temporaryPath,
                     name: name, destinationIsRemote: true)
        }
    }

    public func download(_ name: String, to localFile: String) throws {
        try RemoteName.validate(name, remote: displayName)
        let sourcePath = path(of: name)
        let source = open(sourcePath, O_RDONLY | O_CLOEXEC)
        if source < 0 { throw RemoteError.posix("open", remote: displayName, name: name, errno: errno) }
        defer { close(source) }
        var st = stat()
        if fstat(source, &st) != 0 { throw RemoteError.posix("fstat", remote: displayName, name: name, errno: errno) }
        if st.st_mode & S_IFMT != S_IFREG {
            // Consistent with exists(): only regular files are files of the remote.
            throw RemoteError(.notFound, remote: displayName, name: name, "is a folder, not a file")
        }
        let directory = Paths.parent(localFile).isEmpty ? "." : Paths.parent(localFile)
        try writeViaTemporaryFile(in: directory, finalPath: localFile, name: name, sourcePath: sourcePath,
                                  remoteSide: false) { temporaryFD, temporaryPath in
            try copy(from: source, sourcePath: sourcePath, to: temporaryFD, destinationPath: temporaryPath,
                     name: name, destinationIsRemote: false)
        }
    }

    public func delete(_ name: String) throws {
        try RemoteName.validate(name, remote: displayName)
        let target = path(of: name)
        var st = stat()
        if lstat(target, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR {
            throw RemoteError(.notFound, remote: displayName, name: name, "is a folder, not a file")
        }
        if unlink(target) != 0 { throw RemoteError.posix("unlink", remote: displayName, name: name, errno: errno) }
        removeEmptyParents(of: target)
    }

    // MARK: - Helpers

    /// mkdir -p below the root, with errors classified from their own errno. The root itself is never created:
    /// if it vanished (an unmounted share), writing into the mount point would hide the data from everyone else.
    private func makeParentDirectories(_ directory: String, name: String) throws {
        var missing: [String] = []
        var current = directory
        while !FS.isDirectory(current) {
            if current == root || !current.hasPrefix(root) {
                throw RemoteError(.notFound, remote: displayName, name: name, "the remote folder no longer exists")
            }
            missing.append(current)
            current = Paths.parent(current)
        }
        for folder in missing.reversed() {
            if mkdir(folder, 0o755) != 0 && errno != EEXIST {
                let code = errno
                let kind = RemoteError.kind(forErrno: code)
                throw RemoteError(kind == .notFound ? .other : kind, remote: displayName, name: name,
                                  "cannot create folder \(folder): \(String(cString: strerror(code)))")
            }
            if !FS.isDirectory(folder) {
                throw RemoteError(.other, remote: displayName, name: name, "\(folder) is a file, not a folder")
            }
        }
    }

    /// Creates a temporary file next to `finalPath`, lets `fill` write it, fsyncs, renames it over `finalPath`
    /// and fsyncs the directory. On any failure the temporary file is removed and `finalPath` is untouched.
    private func writeViaTemporaryFile(in directory: String, finalPath: String, name: String, sourcePath: String,
                                       remoteSide: Bool, fill: (Int32, String) throws -> Void) throws {
        let temporaryPath = Paths.join(directory, RemoteName.temporaryPrefix
            + "\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        func failure(_ call: String, _ code: Int32) -> Error {
            remoteSide ? RemoteError.posix(call, remote: displayName, name: name, errno: code)
                       : CairnError.posix(call, finalPath, errno: code)
        }
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw failure("create temporary file", errno) }
        do {
            try fill(fd, temporaryPath)
            if fsync(fd) != 0 { throw failure("fsync", errno) }
        } catch {
            close(fd)
            unlink(temporaryPath)
            throw error
        }
        // Closed exactly once: a second close could hit a descriptor another thread has opened meanwhile.
        // On NFS, close reports write-back errors (ENOSPC, EDQUOT), so its result matters.
        if close(fd) != 0 {
            let code = errno
            unlink(temporaryPath)
            throw failure("close", code)
        }
        if rename(temporaryPath, finalPath) != 0 {
            let code = errno
            unlink(temporaryPath)
            throw failure("rename", code)
        }
        FS.fsyncDirectory(directory)
    }

    /// Copies a whole file descriptor. Errors on the local side name the local path; errors on the remote side
    /// are RemoteErrors, so a full remote disk is `.noSpace` and not a local problem.
    private func copy(from source: Int32, sourcePath: String, to destination: Int32, destinationPath: String,
                      name: String, destinationIsRemote: Bool) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count: Int = try buffer.withUnsafeMutableBytes { bytes in
                while true {
                    let n = read(source, bytes.baseAddress, bytes.count)
                    if n >= 0 { return n }
                    let code = errno
                    if code == EINTR { continue }
                    if destinationIsRemote { throw CairnError.posix("read", sourcePath, errno: code) }
                    throw RemoteError.posix("read", remote: displayName, name: name, errno: code)
                }
            }
            if count == 0 { return }
            try buffer.withUnsafeBytes { bytes in
                var offset = 0
                while offset < count {
                    let n = write(destination, bytes.baseAddress! + offset, count - offset)
                    if n < 0 {
                        let code = errno
                        if code == EINTR { continue }
                        if destinationIsRemote {
                            throw RemoteError.posix("write", remote: displayName, name: name, errno: code)
                        }
                        throw CairnError.posix("write", destinationPath, errno: code)
                    }
                    offset += n
                }
            }
        }
    }

    /// Deleting the last file of a folder removes the folder, so deleted prefixes do not pile up as empty
    /// directories. Stops at the root and at the first folder that is not empty.
    private func removeEmptyParents(of path: String) {
        var directory = Paths.parent(path)
        while directory != root && directory.hasPrefix(root + "/") {
            if !FS.removeEmptyDirectory(directory) { return }
            directory = Paths.parent(directory)
        }
    }
}
