import Basics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Pipelined file transfer: several READ or WRITE requests are kept in flight, so throughput is bounded by
/// bandwidth rather than by one round trip per block (what OpenSSH's sftp client does too).
///
/// Errors are collected while the requests already sent are still answered: the session stays in step and can
/// be reused. Local-side failures are `CairnError`s naming the local path; refused requests are
/// `SFTPStatusError`s; a dead session is `SFTPSessionLost`.
extension SFTPConnection {
    /// 64 KiB per request, well below the 256 KiB packets OpenSSH's sftp-server accepts.
    static let blockSize = 64 << 10
    /// 16 × 64 KiB = 1 MiB in flight per session, enough to fill a link with tens of milliseconds of latency.
    static let requestsInFlight = 16

    /// Writes the whole of `source` (from its current position) into the open remote file `handle`, from
    /// offset 0. Returns the number of bytes written.
    @discardableResult
    func write(from source: Int32, sourcePath: String, to handle: [UInt8]) throws -> UInt64 {
        var offset: UInt64 = 0
        var pending = Set<UInt32>()
        var buffer = [UInt8](repeating: 0, count: Self.blockSize)
        var localFailure: Error?
        var remoteFailure: SFTPStatusError?
        var sourceEnded = false
        while true {
            while !sourceEnded && pending.count < Self.requestsInFlight && localFailure == nil && remoteFailure == nil {
                let count: Int
                do {
                    count = try buffer.withUnsafeMutableBytes { try FS.readFully(source, into: $0, path: sourcePath) }
                } catch {
                    localFailure = error
                    break
                }
                if count < Self.blockSize { sourceEnded = true }  // readFully is only short at end of file
                if count == 0 { break }
                let id = newID()
                var packet = SFTPPacketWriter(.write, reserving: count + handle.count + 32)
                packet.uint32(id)
                packet.string(handle)
                packet.uint64(offset)
                buffer.withUnsafeBytes { packet.string(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                try send(packet.finish())
                pending.insert(id)
                offset += UInt64(count)
            }
            if pending.isEmpty { break }
            var (type, reader) = try receivePacket()
            guard let id = try? reader.uint32(), pending.remove(id) != nil else {
                throw broken(protocol: "a reply to a WRITE that was not sent")
            }
            guard type == SFTPPacketType.status.rawValue else {
                throw broken(protocol: "expected STATUS for WRITE, got packet type \(type)")
            }
            let status = try readStatus(&reader)
            if status.status != .ok && remoteFailure == nil { remoteFailure = status }
        }
        if let localFailure { throw localFailure }
        if let remoteFailure { throw remoteFailure }
        return offset
    }

    /// Reads the open remote file `handle` to its end and writes it at the same offsets into `destination`.
    /// Returns the file's length; the destination is truncated to it.
    @discardableResult
    func read(_ handle: [UInt8], into destination: Int32, destinationPath: String) throws -> UInt64 {
        var nextOffset: UInt64 = 0
        var pending: [UInt32: (offset: UInt64, length: UInt32)] = [:]
        // A server may answer with less than asked before the end; the rest is asked for again.
        var remainders: [(offset: UInt64, length: UInt32)] = []
        var endOfFile: UInt64?
        var failure: Error?
        while true {
            while failure == nil && pending.count < Self.requestsInFlight {
                let range: (offset: UInt64, length: UInt32)
                if let remainder = remainders.popLast() {
                    range = remainder
                } else if endOfFile == nil {
                    range = (nextOffset, UInt32(readRequestLength))
                    nextOffset += UInt64(readRequestLength)
                } else {
                    break
                }
                let id = newID()
                var packet = SFTPPacketWriter(.read, reserving: handle.count + 32)
                packet.uint32(id)
                packet.string(handle)
                packet.uint64(range.offset)
                packet.uint32(range.length)
                try send(packet.finish())
                pending[id] = range
            }
            if pending.isEmpty { break }
            var (type, reader) = try receivePacket()
            guard let id = try? reader.uint32(), let range = pending.removeValue(forKey: id) else {
                throw broken(protocol: "a reply to a READ that was not sent")
            }
            if type == SFTPPacketType.status.rawValue {
                let status = try readStatus(&reader)
                if status.status == .endOfFile {
                    endOfFile = min(endOfFile ?? range.offset, range.offset)
                } else if failure == nil {
                    failure = status
                }
                continue
            }
            guard type == SFTPPacketType.data.rawValue, let data = try? reader.stringBytes(),
                  data.count <= Int(range.length) else {
                throw broken(protocol: "expected DATA for READ, got packet type \(type)")
            }
            if data.isEmpty {
                endOfFile = min(endOfFile ?? range.offset, range.offset)
                continue
            }
            if failure == nil {
                do { try writeAll(data, at: range.offset, to: destination, path: destinationPath) } catch {
                    failure = error
                }
            }
            if data.count < Int(range.length) {
                remainders.append((range.offset + UInt64(data.count), range.length - UInt32(data.count)))
            }
        }
        if let failure { throw failure }
        let length = endOfFile ?? nextOffset
        if ftruncate(destination, off_t(length)) != 0 {
            throw CairnError.posix("truncate", destinationPath, errno: errno)
        }
        return length
    }

    private func writeAll(_ data: ArraySlice<UInt8>, at offset: UInt64, to fd: Int32, path: String) throws {
        try data.withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CairnError.posix("write", path, errno: errno)
                }
                done += n
            }
        }
    }
}
