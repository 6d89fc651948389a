import XCTest
@testable import Remotes

/// The SFTP v3 wire format, byte for byte, and the reader's refusal to crash on short or hostile packets.
final class SFTPPacketTests: XCTestCase {
    func testInitPacketBytes() {
        var packet = SFTPPacketWriter(.initialize)
        packet.uint32(3)
        XCTAssertEqual(packet.finish(), [0, 0, 0, 5, 1, 0, 0, 0, 3])
    }

    func testOpenPacketBytes() {
        var packet = SFTPPacketWriter(.open)
        packet.uint32(7)
        packet.string("a/b")
        packet.uint32(SFTPOpenFlags([.write, .create, .exclusive, .truncate]).rawValue)
        packet.attributes(SFTPAttributes(size: nil, permissions: 0o644))
        XCTAssertEqual(packet.finish(), [
            0, 0, 0, 24,            // length
            3,                      // SSH_FXP_OPEN
            0, 0, 0, 7,             // id
            0, 0, 0, 3, 97, 47, 98, // "a/b"
            0, 0, 0, 0x3a,          // WRITE|CREAT|TRUNC|EXCL
            0, 0, 0, 4,             // attribute flags: permissions only
            0, 0, 0x01, 0xa4,       // 0644
        ])
    }

    func testIntegersAreBigEndian() throws {
        var packet = SFTPPacketWriter(.read)
        packet.uint64(0x0102_0304_0506_0708)
        packet.uint32(0xdead_beef)
        let bytes = packet.finish()
        XCTAssertEqual(Array(bytes[5...]), [1, 2, 3, 4, 5, 6, 7, 8, 0xde, 0xad, 0xbe, 0xef])
        var reader = SFTPPacketReader(Array(bytes[4...]), position: 1)
        XCTAssertEqual(try reader.uint64(), 0x0102_0304_0506_0708)
        XCTAssertEqual(try reader.uint32(), 0xdead_beef)
        XCTAssertTrue(reader.isAtEnd)
    }

    func testStringsRoundTripIncludingNonASCIIAndRawBytes() throws {
        var packet = SFTPPacketWriter(.write)
        packet.string("packs/ünïcødé/日本")
        let data: [UInt8] = [0, 255, 1, 254]
        data.withUnsafeBytes { packet.string($0) }
        packet.string([0xff, 0xfe] as [UInt8])  // not UTF-8
        var reader = SFTPPacketReader(Array(packet.finish()[4...]), position: 1)
        XCTAssertEqual(try reader.utf8String(), "packs/ünïcødé/日本")
        XCTAssertEqual(Array(try reader.stringBytes()), data)
        XCTAssertNil(try reader.utf8String(), "a name that is not UTF-8 is reported as such, not mangled")
        XCTAssertTrue(reader.isAtEnd)
    }

    func testTruncatedAndHostileFieldsThrowInsteadOfCrashing() {
        var short = SFTPPacketReader([0, 0, 1])
        XCTAssertThrowsError(try short.uint32()) { XCTAssertTrue($0 is SFTPProtocolError) }
        // A string that claims 4 GiB in a 6-byte packet.
        var lying = SFTPPacketReader([0xff, 0xff, 0xff, 0xff, 65, 66])
        XCTAssertThrowsError(try lying.stringBytes())
        var empty = SFTPPacketReader([])
        XCTAssertThrowsError(try empty.byte())
        XCTAssertThrowsError(try empty.uint64())
        // Attributes announcing a size that is not there.
        var attributes = SFTPPacketReader([0, 0, 0, 1, 0, 0])
        XCTAssertThrowsError(try attributes.attributes())
    }

    /// OpenSSH sends size, owner, permissions and times; an extended pair must be skipped correctly too.
    func testAttributesWithEveryFieldParse() throws {
        var packet = SFTPPacketWriter(.attrs)
        packet.uint32(0x8000_000f)
        packet.uint64(5 << 20)
        packet.uint32(1000); packet.uint32(1000)  // uid, gid
        packet.uint32(0o100644)
        packet.uint32(1_700_000_000); packet.uint32(1_700_000_001)  // atime, mtime
        packet.uint32(1)
        packet.string("vendor@example.com"); packet.string("x")
        packet.uint32(42)  // a field after the attributes
        var reader = SFTPPacketReader(Array(packet.finish()[4...]), position: 1)
        let attributes = try reader.attributes()
        XCTAssertEqual(attributes, SFTPAttributes(size: 5 << 20, permissions: 0o100644))
        XCTAssertTrue(attributes.isRegularFile)
        XCTAssertFalse(attributes.isDirectory)
        XCTAssertEqual(try reader.uint32(), 42, "the reader stopped exactly after the attributes")
    }

    func testFileTypesFromPermissionBits() {
        XCTAssertTrue(SFTPAttributes(size: nil, permissions: 0o040755).isDirectory)
        XCTAssertFalse(SFTPAttributes(size: nil, permissions: 0o040755).isRegularFile)
        let symlink = SFTPAttributes(size: 4, permissions: 0o120777)
        XCTAssertFalse(symlink.isRegularFile || symlink.isDirectory, "a symlink is neither")
        XCTAssertFalse(SFTPAttributes(size: 4, permissions: nil).isRegularFile, "no type, no file")
    }

    func testAttributesWithoutFieldsEncodeAsZeroFlags() {
        var packet = SFTPPacketWriter(.mkdir)
        packet.attributes(SFTPAttributes())
        XCTAssertEqual(packet.finish(), [0, 0, 0, 5, 14, 0, 0, 0, 0])
    }
}
