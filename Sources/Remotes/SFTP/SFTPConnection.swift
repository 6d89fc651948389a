import Basics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A STATUS reply other than OK: the request failed, the session is fine.
struct SFTPStatusError: Error, CustomStringConvertible {
    var code: UInt32
    var message: String
    var status: SFTPStatusCode? { SFTPStatusCode(rawValue: code) }
    var description: String { message.isEmpty ? "SFTP status \(code)" : message }
}

/// The session is gone (ssh exited, the network dropped, the server spoke garbage); `kind` and `message` come
/// from ssh's stderr when it said why.
struct SFTPSessionLost: Error, CustomStringConvertible {
    var kind: RemoteError.Kind
    var message: String
    var description: String { message }
}

/// One SFTP session over one ssh process. Not thread-safe: the pool lends it to one thread at a time.
/// Once `isBroken` is set, every call throws `SFTPSessionLost` and the pool discards the session.
final class SFTPConnection: @unchecked Sendable {
    private let process: SSHProcess
    private let settings: SFTPSettings
    /// Extensions the server announced in VERSION, e.g. "posix-rename@openssh.com" → "1".
    /// Tests remove entries to exercise the fallbacks for servers without them.
    var extensions: [String: String] = [:]
    /// Bytes asked for per READ. Servers may send less (many cap reads at 32 KiB); tests raise it above
    /// OpenSSH's cap to exercise that path.
    var readRequestLength = SFTPConnection.blockSize
    private(set) var isBroken = false
    private var lostReason: SFTPSessionLost?
    private var nextID: UInt32 = 1
    private var inbox = [UInt8](repeating: 0, count: 256 << 10)
    private var inboxStart = 0
    private var inboxEnd = 0

    /// Starts ssh and exchanges INIT/VERSION. Failures to log in surface here, classified from ssh's stderr.
    init(settings: SFTPSettings) throws {
        self.settings = settings
        process = try SSHProcess(arguments: settings.sshArguments, environment: settings.environment)
        var hello = SFTPPacketWriter(.initialize)
        hello.uint32(3)
        try send(hello.finish())
        let (type, reply) = try receivePacket()
        guard type == SFTPPacketType.version.rawValue else {
            throw broken(protocol: "expected VERSION, got packet type \(type)")
        }
        var reader = reply
        do {
            let version = try reader.uint32()
            if version < 3 { throw broken(protocol: "the server speaks SFTP version \(version); 3 is needed") }
            while !reader.isAtEnd {
                let name = try reader.utf8String() ?? ""
                let data = try reader.utf8String() ?? ""
                extensions[name] = data
            }
        } catch let error as SFTPProtocolError { throw broken(protocol: error.description) }
    }

    var processID: Int32 { process.pid }

    /// Ends the session and reaps ssh.
    func close() {
        isBroken = true
        process.terminate()
    }

    func newID() -> UInt32 {
        defer { nextID = nextID &+ 1 }
        return nextID
    }

    // MARK: - Framing

    func send(_ packet: [UInt8]) throws {
        if let lostReason { throw lostReason }
        let ok = packet.withUnsafeBytes { process.send($0) }
        if !ok { throw lost() }
    }

    /// The next packet: its type and a reader positioned after the type byte.
    func receivePacket() throws -> (type: UInt8, reader: SFTPPacketReader) {
        if let lostReason { throw lostReason }
        try fill(4)
        let length = inbox[inboxStart..<inboxStart + 4].reduce(0) { $0 << 8 | Int($1) }
        guard length >= 1, length <= sftpMaximumPacketLength else {
            throw broken(protocol: "the server sent a packet of \(length) bytes; the session is not clean SFTP "
                + "(does a login script on the server print text?)")
        }
        try fill(4 + length)
        let body = Array(inbox[(inboxStart + 4)..<(inboxStart + 4 + length)])
        inboxStart += 4 + length
        return (body[0], SFTPPacketReader(body, position: 1))
    }

    /// Makes at least `count` unread bytes available in the inbox.
    private func fill(_ count: Int) throws {
        if inboxEnd - inboxStart >= count { return }
        if inbox.count < count { inbox += [UInt8](repeating: 0, count: count - inbox.count) }
        if inboxStart > 0 {
            let pending = inboxEnd - inboxStart
            inbox.withUnsafeMutableBytes { raw in
                raw.baseAddress!.copyMemory(from: raw.baseAddress! + inboxStart, byteCount: pending)
            }
            inboxStart = 0
            inboxEnd = pending
        }
        while inboxEnd < count {
            let n = inbox.withUnsafeMutableBytes { raw in
                process.receive(into: UnsafeMutableRawBufferPointer(rebasing: raw[inboxEnd...]))
            }
            if n == 0 { throw lost() }
            inboxEnd += n
        }
    }

    // MARK: - Requests

    /// Sends a request and waits for its reply; nothing else may be in flight.
    func request(_ packet: [UInt8], id: UInt32) throws -> (type: UInt8, reader: SFTPPacketReader) {
        try send(packet)
        let (type, reader) = try receivePacket()
        var copy = reader
        let replyID: UInt32
        do { replyID = try copy.uint32() } catch { throw broken(protocol: "a reply without a request id") }
        if replyID != id { throw broken(protocol: "a reply for request \(replyID) while waiting for \(id)") }
        return (type, copy)
    }

    /// For requests answered by STATUS only: returns on OK, throws `SFTPStatusError` otherwise.
    func expectOK(_ type: UInt8, _ reader: SFTPPacketReader) throws {
        guard type == SFTPPacketType.status.rawValue else {
            throw broken(protocol: "expected STATUS, got packet type \(type)")
        }
        var copy = reader
        let status = try readStatus(&copy)
        if status.code != SFTPStatusCode.ok.rawValue { throw status }
    }

    /// Reads the fields of a STATUS reply after its id.
    func readStatus(_ reader: inout SFTPPacketReader) throws -> SFTPStatusError {
        do {
            let code = try reader.uint32()
            // The message is optional in practice: some servers end the packet after the code.
            let message = reader.isAtEnd ? "" : (try reader.utf8String() ?? "")
            return SFTPStatusError(code: code, message: message)
        } catch { throw broken(protocol: "malformed STATUS reply") }
    }

    /// The reply was not a STATUS of the expected kind: a STATUS becomes its error, anything else breaks the
    /// session (the stream is out of step).
    func unexpected(_ type: UInt8, _ reader: SFTPPacketReader, expected: String) throws -> Never {
        if type == SFTPPacketType.status.rawValue {
            var copy = reader
            throw try readStatus(&copy)
        }
        throw broken(protocol: "expected \(expected), got packet type \(type)")
    }

    // MARK: - Failure

    /// Marks the session as dead because the server's bytes make no sense. Not `.unreachable`: a server that
    /// speaks garbage (a login script printing text, a broken SFTP server) does not get better on a retry.
    func broken(protocol problem: String) -> SFTPSessionLost {
        let reason = SFTPSessionLost(kind: .other, message: "SFTP protocol error: \(problem)")
        lostReason = reason
        isBroken = true
        process.terminate()
        return reason
    }

    /// Marks the session as dead because ssh closed the stream; asks ssh's stderr why.
    func lost() -> SFTPSessionLost {
        if let lostReason { return lostReason }
        let exit = process.finish(grace: 2)
        let classified = SSHFailure.classify(stderr: process.errorText(), host: settings.host, port: settings.port,
                                             knownHosts: settings.knownHostsFile ?? "~/.ssh/known_hosts", exit: exit)
        let reason = SFTPSessionLost(kind: classified.kind, message: classified.message)
        lostReason = reason
        isBroken = true
        return reason
    }
}
