import Basics
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A remote in an S3-compatible bucket (`s3://bucket/prefix`): AWS S3, MinIO, SeaweedFS, Ceph RGW, ….
///
/// Each remote file is one object under `prefix/`. A PUT is atomic per object, so uploads need no temporary
/// names: readers see the old object or the new one. Files above `multipartThreshold` are sent as multipart
/// uploads, which S3 also only makes visible when completed (and which are aborted on failure).
public struct S3Remote: ContentHashingRemote {
    public let settings: S3Settings
    public var displayName: String { settings.displayName }
    let client: S3HTTPClient
    /// Called before each part of a multipart upload is sent; tests make it throw to exercise the abort path.
    var beforeUploadingPart: @Sendable (_ partNumber: Int) throws -> Void = { _ in }

    public init(settings: S3Settings) {
        self.settings = settings
        self.client = S3HTTPClient(timeout: settings.requestTimeout)
    }

    /// Opens the remote a `RemoteURL` of kind `.s3` names, with the remote's config options.
    public init(url: RemoteURL, options: [String: String], environment: [String: String], home: String) throws {
        guard case .s3(let bucket, let prefix) = url.kind else {
            throw CairnError("\(url.original): not an S3 remote")
        }
        self.init(settings: try S3Settings.resolve(bucket: bucket, prefix: prefix, options: options,
                                                   environment: environment, home: home))
    }

    /// The object key of a remote file name.
    func key(_ name: String) -> String { settings.prefix.isEmpty ? name : settings.prefix + "/" + name }

    // MARK: - Remote

    /// A one-byte ranged GET rather than a HEAD: answers to HEAD have no body, so a missing bucket would look
    /// like a missing file and wrong credentials like a refused permission. The GET's error XML tells them apart
    /// at the same cost.
    public func exists(_ name: String) throws -> Bool {
        try RemoteName.validate(name, remote: displayName)
        let response = try perform("GET", key: key(name), headers: ["range": "bytes=0-0"], name: name,
                                   discardSuccessBody: true, acceptedStatuses: [404, 416])
        // 416: an empty object has no byte 0, but it exists.
        if response.status == 404 {
            if S3ErrorClassifier.code(response.body) == "NoSuchBucket" { throw failure(response, name: name) }
            return false
        }
        return true
    }

    public func list(prefix: String) throws -> [RemoteFileInfo] {
        try RemoteName.validatePrefix(prefix, remote: displayName)
        let base = settings.prefix.isEmpty ? "" : settings.prefix + "/"
        var found: [RemoteFileInfo] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", base + prefix), ("max-keys", String(settings.listPageSize))]
            if let token { query.append(("continuation-token", token)) }
            let response = try perform("GET", key: nil, query: query, name: nil)
            let xml = Substring(String(decoding: response.body, as: UTF8.self))
            for entry in S3XML.blocks("Contents", in: xml) {
                guard let key = S3XML.value("Key", in: entry), key.hasPrefix(base) else { continue }
                let name = String(key.dropFirst(base.count))
                // Objects written by other tools may not be valid names; they are not cairn's files.
                guard RemoteName.problem(name) == nil else { continue }
                let size = S3XML.value("Size", in: entry).flatMap { UInt64($0) } ?? 0
                found.append(RemoteFileInfo(name: name, size: size))
            }
            let truncated = S3XML.value("IsTruncated", in: xml) == "true"
            token = truncated ? S3XML.value("NextContinuationToken", in: xml) : nil
            if truncated && token == nil {
                throw RemoteError(.other, remote: displayName, "listing is truncated but has no continuation token")
            }
        } while token != nil
        return found.sorted { $0.name < $1.name }
    }

    /// S3 deletes a missing key without complaint; the protocol wants `.notFound`, so the key is checked first.
    public func delete(_ name: String) throws {
        guard try exists(name) else {
            throw RemoteError(.notFound, remote: displayName, name: name, "no such file")
        }
        _ = try perform("DELETE", key: key(name), name: name)
    }

    /// Creates the bucket (a signed PUT Bucket); used by test harnesses and `cairn remote add --create`.
    /// An existing bucket owned by the caller is not an error.
    public func createBucket() throws {
        var body = Data()
        if settings.region != "us-east-1" {
            body = Data(("<CreateBucketConfiguration><LocationConstraint>\(settings.region)</LocationConstraint>"
                + "</CreateBucketConfiguration>").utf8)
        }
        let response = try perform("PUT", key: nil, body: .data(body), payloadHash: SigV4Signer.payloadHash(body),
                                   name: nil, acceptedStatuses: [409])
        if response.status == 409 && S3ErrorClassifier.code(response.body) != "BucketAlreadyOwnedByYou" {
            throw failure(response, name: nil)
        }
    }

    // MARK: - Requests

    /// Signs and sends one request; statuses outside 2xx and `acceptedStatuses` are thrown as classified errors.
    func perform(_ method: String, key: String?, query: [(String, String)] = [], headers: [String: String] = [:],
                 body: S3HTTPClient.Body = .none, payloadHash: String = SigV4Signer.emptyPayloadHash,
                 name: String?, sink: Int32? = nil, sinkPath: String = "", discardSuccessBody: Bool = false,
                 acceptedStatuses: Set<Int> = []) throws -> S3Response {
        let request = signedRequest(method, key: key, query: query, headers: headers, payloadHash: payloadHash)
        let response: S3Response
        do {
            response = try client.send(request, body: body, sink: sink, sinkPath: sinkPath,
                                       discardSuccessBody: discardSuccessBody)
        } catch let error as CairnError {
            throw error  // the local side (the download's destination) failed
        } catch {
            throw S3ErrorClassifier.transport(error, remote: displayName, name: name,
                                              endpoint: settings.endpoint.absoluteString)
        }
        if response.isSuccess || acceptedStatuses.contains(response.status) { return response }
        throw failure(response, name: name)
    }

    func failure(_ response: S3Response, name: String?) -> RemoteError {
        S3ErrorClassifier.response(status: response.status, body: response.body, remote: displayName, name: name,
                                   bucket: settings.bucket)
    }

    /// The URL (path- or virtual-host style) and the signed headers of a request.
    func signedRequest(_ method: String, key: String?, query: [(String, String)], headers: [String: String],
                       payloadHash: String) -> URLRequest {
        let endpoint = URLComponents(url: settings.endpoint, resolvingAgainstBaseURL: false)
        let scheme = endpoint?.scheme?.lowercased() ?? "https"
        var host = endpoint?.host ?? ""
        if host.contains(":") && !host.hasPrefix("[") { host = "[\(host)]" }  // IPv6 literal
        if settings.addressing == .virtualHost { host = "\(settings.bucket).\(host)" }
        if let port = endpoint?.port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) {
            host += ":\(port)"
        }
        var path = endpoint?.percentEncodedPath ?? ""
        while path.hasSuffix("/") { path.removeLast() }
        if settings.addressing == .path { path += "/" + settings.bucket }
        if let key { path += "/" + SigV4Signer.uriEncodedPath(key) }
        if path.isEmpty { path = "/" }
        let queryText = SigV4Signer.canonicalQuery(query)
        let text = "\(scheme)://\(host)\(path)" + (queryText.isEmpty ? "" : "?\(queryText)")
        // Every part was encoded above, so the URL always parses; a fallback keeps this total anyway.
        var request = URLRequest(url: URL(string: text) ?? settings.endpoint)
        request.httpMethod = method
        request.timeoutInterval = settings.requestTimeout
        let signer = SigV4Signer(credentials: settings.credentials, region: settings.region)
        let signed = signer.signedHeaders(method: method, encodedPath: path, query: query, host: host,
                                          headers: headers, payloadHash: payloadHash, date: Date())
        for (name, value) in signed { request.setValue(value, forHTTPHeaderField: name) }
        // Bodies are compared byte for byte with their size; a transparently decompressed one would not match.
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        return request
    }
}
