import Basics
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension S3Remote {
    /// Files up to this size are read into memory and sent in one go; larger ones are streamed from disk.
    static let inMemoryUploadLimit: UInt64 = 1 << 20

    /// One PUT up to the multipart threshold, a multipart upload above it. The body is hashed before it is sent
    /// (SHA-256 runs at ~1 GB/s) so the signature covers the content and S3 rejects a body altered on the way.
    /// Errors reading the local file are CairnErrors naming it, raised before anything reaches the bucket.
    public func upload(localFile: String, as name: String) throws {
        try upload(localFile: localFile, as: name, knownHash: nil)
    }

    /// As `upload(localFile:as:)`, signing `contentSHA256` instead of hashing the file again. If the file does
    /// not hash to it, S3 refuses the body (XAmzContentSHA256Mismatch): the pack is checked on arrival.
    public func upload(localFile: String, as name: String, contentSHA256: ObjectID) throws {
        try upload(localFile: localFile, as: name, knownHash: contentSHA256)
    }

    private func upload(localFile: String, as name: String, knownHash: ObjectID?) throws {
        try RemoteName.validate(name, remote: displayName)
        let size = try localFileSize(localFile)
        if size > settings.multipartThreshold {
            try uploadMultipart(localFile: localFile, size: size, name: name)
            return
        }
        let headers = ["content-length": String(size)]
        if size <= Self.inMemoryUploadLimit {
            let bytes = Data(try FS.readAll(localFile))
            _ = try perform("PUT", key: key(name), headers: headers, body: .data(bytes),
                            payloadHash: SigV4Signer.payloadHash(bytes), name: name)
        } else {
            let hash = try knownHash ?? ContentHasher.hashFile(localFile).id
            _ = try perform("PUT", key: key(name), headers: headers, body: .file(localFile),
                            payloadHash: hash.hex, name: name)
        }
    }

    /// Streams the object into a temporary file next to `localFile`, checks its length, fsyncs and renames it,
    /// so `localFile` is either untouched or complete.
    public func download(_ name: String, to localFile: String) throws {
        try RemoteName.validate(name, remote: displayName)
        let directory = Paths.parent(localFile).isEmpty ? "." : Paths.parent(localFile)
        let temporary = Paths.join(directory, RemoteName.temporaryPrefix
            + "\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw CairnError.posix("create temporary file", temporary, errno: errno) }
        var closed = false
        do {
            let response = try perform("GET", key: key(name), name: name, sink: fd, sinkPath: temporary)
            let written = response.headers["x-cairn-written"].flatMap { UInt64($0) } ?? 0
            if let expected = response.headers["content-length"].flatMap({ UInt64($0) }), expected != written {
                throw RemoteError(.unreachable, remote: displayName, name: name,
                                  "the download ended early (\(written) of \(expected) bytes)")
            }
            try FS.fsync(fd, path: temporary)
            closed = true
            if close(fd) != 0 { throw CairnError.posix("close", temporary, errno: errno) }
            try FS.rename(temporary, localFile)
        } catch {
            if !closed { close(fd) }
            unlink(temporary)
            throw error
        }
    }

    /// The size of a regular local file; a missing, unreadable or non-regular one is a CairnError naming it.
    func localFileSize(_ path: String) throws -> UInt64 {
        let fd = try FS.openRead(path)
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 { throw CairnError.posix("fstat", path, errno: errno) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw CairnError("\(path): not a regular file") }
        return UInt64(st.st_size)
    }

    // MARK: - Multipart

    /// Create, upload the parts (several at a time), complete. Any failure aborts the upload, so no parts are left
    /// behind to be billed; the object only appears once the upload is completed.
    func uploadMultipart(localFile: String, size: UInt64, name: String) throws {
        let objectKey = key(name)
        let created = try perform("POST", key: objectKey, query: [("uploads", "")], name: name)
        guard let uploadID = S3XML.value("UploadId", in: Substring(String(decoding: created.body, as: UTF8.self))),
              !uploadID.isEmpty else {
            throw RemoteError(.other, remote: displayName, name: name, "starting a multipart upload gave no UploadId")
        }
        do {
            let etags = try uploadParts(localFile: localFile, size: size, name: name, uploadID: uploadID)
            var document = "<CompleteMultipartUpload>"
            for (index, etag) in etags.enumerated() {
                document += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(xmlEscaped(etag))</ETag></Part>"
            }
            document += "</CompleteMultipartUpload>"
            let body = Data(document.utf8)
            let completed = try perform("POST", key: objectKey, query: [("uploadId", uploadID)],
                                        headers: ["content-length": String(body.count)], body: .data(body),
                                        payloadHash: SigV4Signer.payloadHash(body), name: name)
            // S3 may answer 200 and still report a failure in the body.
            if S3ErrorClassifier.code(completed.body) != nil {
                throw S3ErrorClassifier.response(status: 500, body: completed.body, remote: displayName, name: name,
                                                 bucket: settings.bucket)
            }
        } catch {
            _ = try? perform("DELETE", key: objectKey, query: [("uploadId", uploadID)], name: name)
            throw error
        }
    }

    /// Uploads each part from its own slice of the file (at most `partSize` bytes in memory per worker) and
    /// returns the ETags in part order.
    private func uploadParts(localFile: String, size: UInt64, name: String, uploadID: String) throws -> [String] {
        // S3 allows at most 10,000 parts; very large files get larger parts rather than failing at part 10,001.
        let partSize = max(settings.partSize, (size + 9_999) / 10_000)
        let count = Int((size + partSize - 1) / partSize)
        let fd = try FS.openRead(localFile)
        defer { close(fd) }
        let etags = Locked([String](repeating: "", count: count))
        // Parts wait on the network, not the CPU: one thread each (forEach would keep to one per core, so
        // `part_concurrency 8` on a 2-core machine would have two parts in flight).
        try Parallel.forEachBlocking(count, workers: min(settings.partConcurrency, count)) { index in
            try beforeUploadingPart(index + 1)
            let offset = UInt64(index) * partSize
            let length = Int(min(partSize, size - offset))
            let bytes = try readSlice(fd: fd, path: localFile, offset: offset, length: length)
            let response = try perform("PUT", key: key(name),
                                       query: [("partNumber", String(index + 1)), ("uploadId", uploadID)],
                                       headers: ["content-length": String(length)], body: .data(bytes),
                                       payloadHash: SigV4Signer.payloadHash(bytes), name: name)
            guard let etag = response.headers["etag"], !etag.isEmpty else {
                throw RemoteError(.other, remote: displayName, name: name, "part \(index + 1) was stored without an ETag")
            }
            etags.withLock { $0[index] = etag }
        }
        return etags.snapshot
    }

    private func readSlice(fd: Int32, path: String, offset: UInt64, length: Int) throws -> Data {
        var data = Data(count: length)
        try data.withUnsafeMutableBytes { buffer in
            var done = 0
            while done < length {
                let n = pread(fd, buffer.baseAddress! + done, length - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CairnError.posix("read", path, errno: errno)
                }
                if n == 0 { throw CairnError("\(path): the file became shorter while it was uploaded") }
                done += n
            }
        }
        return data
    }

    private func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
