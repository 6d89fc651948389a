import Crypto
import Foundation

/// AWS Signature Version 4 for S3 requests, signed in the `Authorization` header.
///
/// Written by hand rather than pulled from an SDK: the algorithm is short, fixed and has published test vectors,
/// and an SDK would cost far more build time than the ~150 lines it replaces. The signer only computes headers;
/// sending is `S3HTTPClient`'s job, so it is testable without any network.
public struct SigV4Signer: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    public var service: String

    /// The payload hash S3 accepts for a body that is not hashed.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// SHA-256 of the empty body, the payload hash of every request without one.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    public init(credentials: AWSCredentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The headers to add to a request so it is signed: `x-amz-date`, `x-amz-content-sha256`,
    /// `x-amz-security-token` (with temporary credentials) and `Authorization`.
    ///
    /// - Parameters:
    ///   - encodedPath: the path exactly as it is sent, each segment already URI-encoded (`uriEncodedPath`).
    ///   - query: the raw (not encoded) query parameters; they are encoded and sorted here.
    ///   - host: the `Host` header as the HTTP client sends it (`host` or `host:port` for a non-default port).
    ///   - headers: further headers to sign, e.g. `range`; names in any case.
    public func signedHeaders(method: String, encodedPath: String, query: [(String, String)], host: String,
                              headers: [String: String] = [:], payloadHash: String, date: Date) -> [String: String] {
        let timestamp = Self.timestamp(date)
        var toSign: [String: String] = ["host": host, "x-amz-date": timestamp, "x-amz-content-sha256": payloadHash]
        if let token = credentials.sessionToken { toSign["x-amz-security-token"] = token }
        for (name, value) in headers { toSign[name.lowercased()] = value }
        let signature = self.signature(method: method, encodedPath: encodedPath, query: query, headers: toSign,
                                       payloadHash: payloadHash, timestamp: timestamp)
        let signedNames = toSign.keys.sorted().joined(separator: ";")
        var result = toSign
        result["host"] = nil  // set by the HTTP client itself from the URL
        result["authorization"] = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(timestamp)),"
            + "SignedHeaders=\(signedNames),Signature=\(signature)"
        return result
    }

    /// The hex signature of a request whose headers (all lowercase names, including host and x-amz-date) are given.
    func signature(method: String, encodedPath: String, query: [(String, String)], headers: [String: String],
                   payloadHash: String, timestamp: String) -> String {
        let request = canonicalRequest(method: method, encodedPath: encodedPath, query: query, headers: headers,
                                       payloadHash: payloadHash)
        let text = stringToSign(canonicalRequest: request, timestamp: timestamp)
        return Self.hex(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: signingKey(timestamp)))
    }

    func canonicalRequest(method: String, encodedPath: String, query: [(String, String)], headers: [String: String],
                          payloadHash: String) -> String {
        let names = headers.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(Self.trimmedHeaderValue(headers[$0] ?? ""))\n" }.joined()
        return [method, encodedPath.isEmpty ? "/" : encodedPath, Self.canonicalQuery(query), canonicalHeaders,
                names.joined(separator: ";"), payloadHash].joined(separator: "\n")
    }

    func stringToSign(canonicalRequest: String, timestamp: String) -> String {
        let hash = Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8)))
        return ["AWS4-HMAC-SHA256", timestamp, scope(timestamp), hash].joined(separator: "\n")
    }

    private func scope(_ timestamp: String) -> String {
        "\(timestamp.prefix(8))/\(region)/\(service)/aws4_request"
    }

    private func signingKey(_ timestamp: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [String(timestamp.prefix(8)), region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    // MARK: - Encoding

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, computed by hand so no shared DateFormatter crosses threads.
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }

    /// Query parameters URI-encoded (including '/') and sorted by name, then value.
    static func canonicalQuery(_ query: [(String, String)]) -> String {
        query.map { (uriEncode($0.0, keepSlash: false), uriEncode($0.1, keepSlash: false)) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// An object key as a URL path: each segment encoded, '/' kept, so the path sent is the canonical one.
    public static func uriEncodedPath(_ path: String) -> String { uriEncode(path, keepSlash: true) }

    /// RFC 3986 encoding as SigV4 wants it: only A-Z a-z 0-9 - . _ ~ stay, everything else is %XX (uppercase)
    /// of its UTF-8 bytes.
    static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: "/") where keepSlash:
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 15)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Leading and trailing spaces removed, inner runs of spaces collapsed to one.
    private static func trimmedHeaderValue(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Hex SHA-256 of an in-memory body.
    public static func payloadHash(_ body: Data) -> String { hex(SHA256.hash(data: body)) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
