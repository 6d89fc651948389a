/// The wire format of SFTP version 3 (draft-ietf-secsh-filexfer-02), the version OpenSSH speaks.
///
/// Every packet is `uint32 length, byte type, payload`; integers are big-endian, strings are `uint32 length,
/// bytes`. Only what cairn uses is here.
enum SFTPPacketType: UInt8 {
    case initialize = 1
    case version = 2
    case open = 3
    case close = 4
    case read = 5
    case write = 6
    case lstat = 7
    case fstat = 8
    case opendir = 11
    case readdir = 12
    case remove = 13
    case mkdir = 14
    case rmdir = 15
    case stat = 17
    case rename = 18
    case status = 101
    case handle = 102
    case data = 103
    case name = 104
    case attrs = 105
    case extended = 200
    case extendedReply = 201
}

/// SSH_FX_* codes of a STATUS reply.
enum SFTPStatusCode: UInt32 {
    case ok = 0
    case endOfFile = 1
    case noSuchFile = 2
    case permissionDenied = 3
    case failure = 4
    case badMessage = 5
    case noConnection = 6
    case connectionLost = 7
    case operationUnsupported = 8
}

/// SSH_FXF_* flags of OPEN.
struct SFTPOpenFlags: OptionSet {
    let rawValue: UInt32
    static let read = SFTPOpenFlags(rawValue: 0x01)
    static let write = SFTPOpenFlags(rawValue: 0x02)
    static let create = SFTPOpenFlags(rawValue: 0x08)
    static let truncate = SFTPOpenFlags(rawValue: 0x10)
    static let exclusive = SFTPOpenFlags(rawValue: 0x20)
}

/// The largest packet accepted from the server. OpenSSH's sftp-server sends at most 256 KiB; anything far larger
/// means the stream is not SFTP at all (typically a login script printing text into the session).
let sftpMaximumPacketLength = 1 << 20

/// A packet that does not parse, or a reply that makes no sense; the session cannot continue after it.
struct SFTPProtocolError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Builds one packet: the length is filled in by `finish()`.
struct SFTPPacketWriter {
    private(set) var bytes: [UInt8]

    init(_ type: SFTPPacketType, reserving capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity + 5)
        bytes.append(contentsOf: [0, 0, 0, 0, type.rawValue])
    }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func uint32(_ value: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    mutating func uint64(_ value: UInt64) {
        uint32(UInt32(truncatingIfNeeded: value >> 32))
        uint32(UInt32(truncatingIfNeeded: value))
    }

    mutating func string<Bytes: Collection>(_ value: Bytes) where Bytes.Element == UInt8 {
        uint32(UInt32(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ value: String) { string(Array(value.utf8)) }

    /// A string whose bytes are copied straight from memory (file data of WRITE).
    mutating func string(_ value: UnsafeRawBufferPointer) {
        uint32(UInt32(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func attributes(_ value: SFTPAttributes) {
        var flags: UInt32 = 0
        if value.size != nil { flags |= SFTPAttributes.sizeFlag }
        if value.permissions != nil { flags |= SFTPAttributes.permissionsFlag }
        uint32(flags)
        if let size = value.size { uint64(size) }
        if let permissions = value.permissions { uint32(permissions) }
    }

    /// The finished packet with its length prefix.
    mutating func finish() -> [UInt8] {
        let length = UInt32(bytes.count - 4)
        bytes[0] = UInt8(truncatingIfNeeded: length >> 24)
        bytes[1] = UInt8(truncatingIfNeeded: length >> 16)
        bytes[2] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: length)
        return bytes
    }
}

/// Reads the fields of one received packet (without its length prefix) in order; running past the end is a
/// protocol error, never a crash.
struct SFTPPacketReader {
    let bytes: [UInt8]
    private(set) var position: Int

    init(_ bytes: [UInt8], position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var isAtEnd: Bool { position >= bytes.count }

    private mutating func take(_ count: Int, _ what: String) throws -> Range<Int> {
        guard count >= 0, bytes.count - position >= count else {
            throw SFTPProtocolError("truncated packet: \(what) needs \(count) bytes, \(bytes.count - position) left")
        }
        defer { position += count }
        return position..<(position + count)
    }

    mutating func byte() throws -> UInt8 { bytes[try take(1, "byte").lowerBound] }

    mutating func uint32() throws -> UInt32 {
        let range = try take(4, "uint32")
        return bytes[range].reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func uint64() throws -> UInt64 {
        let range = try take(8, "uint64")
        return bytes[range].reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func stringBytes() throws -> ArraySlice<UInt8> {
        let count = Int(try uint32())
        return bytes[try take(count, "string")]
    }

    /// A string as text; file names that are not UTF-8 are returned as nil, not mangled.
    mutating func utf8String() throws -> String? {
        String(validating: try stringBytes(), as: UTF8.self)
    }

    mutating func attributes() throws -> SFTPAttributes {
        let flags = try uint32()
        var result = SFTPAttributes()
        if flags & SFTPAttributes.sizeFlag != 0 { result.size = try uint64() }
        if flags & SFTPAttributes.ownerFlag != 0 { _ = try uint32(); _ = try uint32() }
        if flags & SFTPAttributes.permissionsFlag != 0 { result.permissions = try uint32() }
        if flags & SFTPAttributes.timesFlag != 0 { _ = try uint32(); _ = try uint32() }
        if flags & SFTPAttributes.extendedFlag != 0 {
            let count = try uint32()
            for _ in 0..<count { _ = try stringBytes(); _ = try stringBytes() }
        }
        return result
    }
}

/// The file attributes cairn needs: size and type (from the permission bits, as OpenSSH sends them).
struct SFTPAttributes: Equatable {
    static let sizeFlag: UInt32 = 0x01
    static let ownerFlag: UInt32 = 0x02
    static let permissionsFlag: UInt32 = 0x04
    static let timesFlag: UInt32 = 0x08
    static let extendedFlag: UInt32 = 0x8000_0000

    var size: UInt64?
    var permissions: UInt32?

    private static let typeMask: UInt32 = 0o170000
    var isRegularFile: Bool { permissions.map { $0 & Self.typeMask == 0o100000 } ?? false }
    var isDirectory: Bool { permissions.map { $0 & Self.typeMask == 0o040000 } ?? false }
}
