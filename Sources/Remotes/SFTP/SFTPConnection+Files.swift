/// The one-request operations of SFTP v3 and the OpenSSH extensions cairn uses. Paths are server paths.
/// Each throws `SFTPStatusError` for a refused request and `SFTPSessionLost` when the session died.
extension SFTPConnection {
    static let posixRenameExtension = "posix-rename@openssh.com"
    static let fsyncExtension = "fsync@openssh.com"
    static let statvfsExtension = "statvfs@openssh.com"

    /// Attributes of `path` (following symlinks for `stat`, not for `lstat`); nil when it does not exist.
    func attributes(of path: String, followingLinks: Bool) throws -> SFTPAttributes? {
        let id = newID()
        var packet = SFTPPacketWriter(followingLinks ? .stat : .lstat)
        packet.uint32(id)
        packet.string(path)
        let (type, reader) = try request(packet.finish(), id: id)
        if type == SFTPPacketType.status.rawValue {
            var copy = reader
            let status = try readStatus(&copy)
            if status.status == .noSuchFile { return nil }
            throw status
        }
        return try readAttributes(type, reader)
    }

    func attributes(ofHandle handle: [UInt8]) throws -> SFTPAttributes {
        let id = newID()
        var packet = SFTPPacketWriter(.fstat)
        packet.uint32(id)
        packet.string(handle)
        let (type, reader) = try request(packet.finish(), id: id)
        return try readAttributes(type, reader)
    }

    private func readAttributes(_ type: UInt8, _ reader: SFTPPacketReader) throws -> SFTPAttributes {
        guard type == SFTPPacketType.attrs.rawValue else { try unexpected(type, reader, expected: "ATTRS") }
        var copy = reader
        do { return try copy.attributes() } catch { throw broken(protocol: "malformed ATTRS reply") }
    }

    /// Opens a file; returns its handle.
    func open(_ path: String, flags: SFTPOpenFlags, permissions: UInt32? = nil) throws -> [UInt8] {
        let id = newID()
        var packet = SFTPPacketWriter(.open, reserving: path.utf8.count + 32)
        packet.uint32(id)
        packet.string(path)
        packet.uint32(flags.rawValue)
        packet.attributes(SFTPAttributes(size: nil, permissions: permissions))
        return try readHandle(try request(packet.finish(), id: id))
    }

    func openDirectory(_ path: String) throws -> [UInt8] {
        let id = newID()
        var packet = SFTPPacketWriter(.opendir)
        packet.uint32(id)
        packet.string(path)
        return try readHandle(try request(packet.finish(), id: id))
    }

    private func readHandle(_ reply: (type: UInt8, reader: SFTPPacketReader)) throws -> [UInt8] {
        guard reply.type == SFTPPacketType.handle.rawValue else {
            try unexpected(reply.type, reply.reader, expected: "HANDLE")
        }
        var copy = reply.reader
        do { return Array(try copy.stringBytes()) } catch { throw broken(protocol: "malformed HANDLE reply") }
    }

    /// Closes a handle. For a written file the result matters: a server may report write-back errors here.
    func closeHandle(_ handle: [UInt8]) throws {
        try simple(.close) { $0.string(handle) }
    }

    /// Every entry of a directory except "." and "..", with its attributes; names that are not UTF-8 are nil.
    func readDirectory(_ path: String) throws -> [(name: String?, attributes: SFTPAttributes)] {
        let handle = try openDirectory(path)
        var entries: [(name: String?, attributes: SFTPAttributes)] = []
        do {
            while true {
                let id = newID()
                var packet = SFTPPacketWriter(.readdir)
                packet.uint32(id)
                packet.string(handle)
                let (type, reader) = try request(packet.finish(), id: id)
                if type == SFTPPacketType.status.rawValue {
                    var copy = reader
                    let status = try readStatus(&copy)
                    if status.status == .endOfFile { break }
                    throw status
                }
                guard type == SFTPPacketType.name.rawValue else { try unexpected(type, reader, expected: "NAME") }
                var copy = reader
                do {
                    let count = try copy.uint32()
                    for _ in 0..<count {
                        let name = try copy.utf8String()
                        _ = try copy.stringBytes()  // the ls -l style long name
                        let attributes = try copy.attributes()
                        if name == "." || name == ".." { continue }
                        entries.append((name, attributes))
                    }
                } catch is SFTPProtocolError { throw broken(protocol: "malformed NAME reply") }
            }
        } catch {
            try? closeHandle(handle)
            throw error
        }
        try closeHandle(handle)
        return entries
    }

    func makeDirectory(_ path: String, permissions: UInt32 = 0o755) throws {
        try simple(.mkdir) {
            $0.string(path)
            $0.attributes(SFTPAttributes(size: nil, permissions: permissions))
        }
    }

    func removeDirectory(_ path: String) throws { try simple(.rmdir) { $0.string(path) } }

    func removeFile(_ path: String) throws { try simple(.remove) { $0.string(path) } }

    /// Renames `from` over `to`, replacing it atomically when the server has posix-rename; otherwise (plain
    /// SFTP RENAME refuses an existing target) removes the target first, which is not atomic.
    func rename(_ from: String, to: String) throws {
        if extensions[Self.posixRenameExtension] != nil {
            try simple(.extended) {
                $0.string(Self.posixRenameExtension)
                $0.string(from)
                $0.string(to)
            }
            return
        }
        do { try removeFile(to) } catch let status as SFTPStatusError where status.status == .noSuchFile {}
        try simple(.rename) {
            $0.string(from)
            $0.string(to)
        }
    }

    /// fsync on the server when it offers the extension; a no-op otherwise.
    func sync(_ handle: [UInt8]) throws {
        guard extensions[Self.fsyncExtension] != nil else { return }
        try simple(.extended) {
            $0.string(Self.fsyncExtension)
            $0.string(handle)
        }
    }

    /// Bytes available to an unprivileged user on the file system of `path`; nil when the server cannot say.
    func availableBytes(at path: String) throws -> UInt64? {
        guard extensions[Self.statvfsExtension] != nil else { return nil }
        let id = newID()
        var packet = SFTPPacketWriter(.extended)
        packet.uint32(id)
        packet.string(Self.statvfsExtension)
        packet.string(path)
        let (type, reader) = try request(packet.finish(), id: id)
        guard type == SFTPPacketType.extendedReply.rawValue else { return nil }
        var copy = reader
        do {
            _ = try copy.uint64()  // f_bsize
            let fragmentSize = try copy.uint64()
            _ = try copy.uint64()  // f_blocks
            _ = try copy.uint64()  // f_bfree
            let available = try copy.uint64()
            return fragmentSize.multipliedReportingOverflow(by: available).partialValue
        } catch { throw broken(protocol: "malformed statvfs reply") }
    }

    /// A request whose reply is a plain STATUS.
    private func simple(_ type: SFTPPacketType, _ fields: (inout SFTPPacketWriter) -> Void) throws {
        let id = newID()
        var packet = SFTPPacketWriter(type)
        packet.uint32(id)
        fields(&packet)
        let reply = try request(packet.finish(), id: id)
        try expectOK(reply.type, reply.reader)
    }
}
