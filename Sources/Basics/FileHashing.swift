#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ContentHasher {
    /// SHA-256 and size of a file's content, streamed in 1 MiB blocks (memory does not grow with file size).
    public static func hashFile(_ path: String) throws -> (id: ObjectID, size: UInt64) {
        let fd = try FS.openRead(path)
        defer { close(fd) }
        var hasher = ContentHasher()
        var size: UInt64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try FS.read(fd, into: buffer, path: path)
            if n == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            size += UInt64(n)
        }
        return (hasher.finalize(), size)
    }
}
