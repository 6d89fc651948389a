import Basics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Upload and download: both go through a temporary file and a rename, so no reader ever sees a partial file.
extension SFTPRemote {
    /// Below this much free space on the server, a failed write is reported as a full disk.
    static let fullDiskThreshold: UInt64 = 1 << 20

    public func upload(localFile: String, as name: String) throws {
        try RemoteName.validate(name, remote: displayName)
        let source = try FS.openRead(localFile)
        defer { Glibc.close(source) }
        let target = path(of: name)
        let folderName = Paths.parent(name)
        let folder = path(of: folderName)
        let temporary = path(of: Paths.join(folderName, RemoteName.temporaryPrefix
            + String(UInt64.random(in: 0...UInt64.max), radix: 36)))
        try session(name, doing: "upload") { connection in
            let handle = try createTemporary(temporary, folderName: folderName, name: name, on: connection)
            var handleOpen = true
            do {
                try connection.write(from: source, sourcePath: localFile, to: handle)
                try connection.sync(handle)
                handleOpen = false
                try connection.closeHandle(handle)
                do { try connection.rename(temporary, to: target) } catch let status as SFTPStatusError {
                    if try connection.attributes(of: target, followingLinks: false)?.isDirectory == true {
                        throw RemoteError(.other, remote: displayName, name: name,
                                          "cannot store the file: a folder of that name is in the way")
                    }
                    throw status
                }
            } catch {
                let classified = writeFailure(error, folder: folder, name: name, on: connection)
                if !connection.isBroken {
                    if handleOpen { try? connection.closeHandle(handle) }
                    try? connection.removeFile(temporary)
                }
                throw classified
            }
        }
    }

    public func download(_ name: String, to localFile: String) throws {
        try RemoteName.validate(name, remote: displayName)
        let directory = Paths.parent(localFile).isEmpty ? "." : Paths.parent(localFile)
        try session(name, doing: "download") { connection in
            let handle = try connection.open(path(of: name), flags: .read)
            defer { try? connection.closeHandle(handle) }
            // Opening a folder for reading works on POSIX servers; only files are files of a remote.
            if !(try connection.attributes(ofHandle: handle).isRegularFile) {
                throw RemoteError(.notFound, remote: displayName, name: name, "is a folder, not a file")
            }
            let temporary = Paths.join(directory, RemoteName.temporaryPrefix
                + "\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
            let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd < 0 { throw CairnError.posix("create temporary file", temporary, errno: errno) }
            do {
                try connection.read(handle, into: fd, destinationPath: temporary)
                try FS.fsync(fd, path: temporary)
            } catch {
                Glibc.close(fd)
                unlink(temporary)
                throw error
            }
            // Closed exactly once: a second close could hit a descriptor another thread has opened meanwhile.
            if Glibc.close(fd) != 0 {
                let code = errno
                unlink(temporary)
                throw CairnError.posix("close", temporary, errno: code)
            }
            do { try FS.rename(temporary, localFile) } catch {
                unlink(temporary)
                throw error
            }
            FS.fsyncDirectory(directory)
        }
    }

    /// Creates the upload's temporary file. The folder usually exists, so it is only created (mkdir -p below
    /// the root) when the first attempt says it is missing — also when a concurrent delete just removed it.
    private func createTemporary(_ temporary: String, folderName: String, name: String,
                                 on connection: SFTPConnection) throws -> [UInt8] {
        let flags: SFTPOpenFlags = [.write, .create, .exclusive, .truncate]
        do {
            return try connection.open(temporary, flags: flags, permissions: 0o644)
        } catch let status as SFTPStatusError where status.status == .noSuchFile && !folderName.isEmpty {
            try makeFolder(folderName, name: name, on: connection)
            return try connection.open(temporary, flags: flags, permissions: 0o644)
        } catch let status as SFTPStatusError where status.status == .noSuchFile {
            throw RemoteError(.notFound, remote: displayName, name: name, "the remote folder no longer exists")
        }
    }

    /// mkdir -p of a folder below the root, from the deepest level up as far as needed. "Exists" is fine when
    /// it is a folder; the root itself is never created.
    private func makeFolder(_ folderName: String, name: String, on connection: SFTPConnection) throws {
        let folder = path(of: folderName)
        do {
            try connection.makeDirectory(folder)
            return
        } catch let status as SFTPStatusError where status.status == .noSuchFile {
            let parent = Paths.parent(folderName)
            if parent.isEmpty {
                throw RemoteError(.notFound, remote: displayName, name: name, "the remote folder no longer exists")
            }
            try makeFolder(parent, name: name, on: connection)
            do { try connection.makeDirectory(folder) } catch let again as SFTPStatusError {
                try checkIsFolder(folderName, after: again, name: name, on: connection)
            }
        } catch let status as SFTPStatusError {
            try checkIsFolder(folderName, after: status, name: name, on: connection)
        }
    }

    /// After a refused MKDIR: fine if the folder exists (made by a concurrent upload), a clear error if a file
    /// is in the way, the server's refusal otherwise.
    private func checkIsFolder(_ folderName: String, after refusal: SFTPStatusError, name: String,
                               on connection: SFTPConnection) throws {
        if let attributes = try connection.attributes(of: path(of: folderName), followingLinks: true) {
            if attributes.isDirectory { return }
            throw RemoteError(.other, remote: displayName, name: name,
                              "cannot create folder '\(folderName)': a file of that name is in the way")
        }
        throw RemoteError(Self.kind(of: refusal), remote: displayName, name: name,
                          "cannot create folder '\(folderName)': \(refusal)")
    }

    /// A generic FAILURE while writing is what OpenSSH's sftp-server reports for ENOSPC and EDQUOT; the free
    /// space on the server (statvfs extension) tells a full disk apart. Asked before the temporary file is
    /// removed, while it still holds the space.
    private func writeFailure(_ error: Error, folder: String, name: String, on connection: SFTPConnection) -> Error {
        guard let status = error as? SFTPStatusError else { return error }
        if status.status == .failure, !connection.isBroken,
           let available = try? connection.availableBytes(at: folder), available < Self.fullDiskThreshold {
            return RemoteError(.noSpace, remote: displayName, name: name,
                               "the server's disk is full (\(available) bytes free; write failed: \(status))")
        }
        return RemoteError(Self.kind(of: status), remote: displayName, name: name, "upload failed: \(status)")
    }
}
