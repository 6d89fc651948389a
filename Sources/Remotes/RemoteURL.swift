import Basics

/// A remote's location as the user writes it in `cairn remote add NAME URL`, parsed and checked once so every
/// later step can rely on its parts. Supported: `/path` and `file:///path` (a local or mounted folder),
/// `s3://bucket[/prefix]` and `ssh://[user@]host[:port]/path`.
public struct RemoteURL: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// An absolute folder path.
        case local(path: String)
        /// A bucket and a key prefix without leading or trailing "/" (empty for the bucket's root).
        case s3(bucket: String, prefix: String)
        /// A host (without brackets for IPv6), an optional user and port, and an absolute path.
        case ssh(user: String?, host: String, port: Int?, path: String)
    }

    public var kind: Kind
    /// The text it was parsed from, for messages.
    public var original: String

    static let supported = "/path, file:///path, s3://bucket/prefix, ssh://[user@]host[:port]/path"

    public static func parse(_ text: String) throws -> RemoteURL {
        func fail(_ why: String) -> CairnError { CairnError("remote URL '\(text)': \(why)") }
        let trimmed = text.trimmingSpaces
        if trimmed.isEmpty { throw fail("empty URL; supported: \(supported)") }
        if trimmed.utf8.contains(0) { throw fail("contains a NUL byte") }
        if trimmed.hasPrefix("/") { return RemoteURL(kind: .local(path: normalizedFolder(trimmed)), original: text) }
        guard let schemeEnd = trimmed.range(of: "://") else {
            throw fail("not an absolute path or a URL; supported: \(supported)")
        }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        let rest = String(trimmed[schemeEnd.upperBound...])
        switch scheme {
        case "file":
            // file:///path, or file://localhost/path; another host is not a local folder.
            let path: String
            if rest.hasPrefix("/") { path = rest } else if rest.lowercased().hasPrefix("localhost/") {
                path = String(rest.dropFirst("localhost".count))
            } else { throw fail("file URLs must name a local path: file:///path") }
            guard let decoded = percentDecoded(path) else { throw fail("invalid %-escape in the path") }
            return RemoteURL(kind: .local(path: normalizedFolder(decoded)), original: text)
        case "s3":
            let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            let bucket = String(parts[0])
            if let problem = bucketProblem(bucket) { throw fail(problem) }
            let prefix = parts.count > 1 ? String(parts[1]) : ""
            let cleaned = prefix.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
            if !cleaned.isEmpty, let problem = RemoteName.problem(cleaned) { throw fail("bad prefix: \(problem)") }
            return RemoteURL(kind: .s3(bucket: bucket, prefix: cleaned), original: text)
        case "ssh":
            return RemoteURL(kind: try parseSSH(rest, fail: fail), original: text)
        default:
            throw fail("unsupported scheme '\(scheme)'; supported: \(supported)")
        }
    }

    private static func parseSSH(_ rest: String, fail: (String) -> CairnError) throws -> Kind {
        guard let slash = rest.firstIndex(of: "/") else { throw fail("missing the path: ssh://host/path") }
        var authority = Substring(rest[..<slash])
        let path = String(rest[slash...])
        var user: String?
        if let at = authority.lastIndex(of: "@") {
            user = String(authority[..<at])
            authority = authority[authority.index(after: at)...]
            if user?.isEmpty == true { throw fail("empty user name before '@'") }
        }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            // IPv6 literal: [::1]:2222
            guard let close = authority.firstIndex(of: "]") else { throw fail("unclosed '[' in the host") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail("unexpected text after the host") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        if host.isEmpty { throw fail("missing the host: ssh://[user@]host[:port]/path") }
        if host.contains(where: { $0 == " " || $0 == "/" || $0 == "@" }) { throw fail("invalid host '\(host)'") }
        var port: Int?
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw fail("invalid port '\(portText)' (1-65535)")
            }
            port = value
        }
        guard let decoded = percentDecoded(path) else { throw fail("invalid %-escape in the path") }
        let folder = normalizedFolder(decoded)
        if folder.split(separator: "/").contains("..") { throw fail("the path may not contain '..'") }
        return .ssh(user: user, host: String(host), port: port, path: folder)
    }

    /// S3's bucket naming rules, checked early so a typo is a clear message instead of a signature error later.
    static func bucketProblem(_ bucket: String) -> String? {
        if bucket.isEmpty { return "missing the bucket: s3://bucket/prefix" }
        if !(3...63).contains(bucket.utf8.count) { return "bucket name '\(bucket)' must be 3 to 63 characters" }
        let allowed = bucket.utf8.allSatisfy { c in
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
                || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
        }
        if !allowed { return "bucket name '\(bucket)' may hold only lowercase letters, digits, '-' and '.'" }
        if bucket.hasPrefix("-") || bucket.hasPrefix(".") || bucket.hasSuffix("-") || bucket.hasSuffix(".") {
            return "bucket name '\(bucket)' must start and end with a letter or digit"
        }
        return nil
    }

    /// Removes duplicate and trailing slashes, keeps the leading one.
    static func normalizedFolder(_ path: String) -> String {
        "/" + path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    static func percentDecoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next(), let low = iterator.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
        }
        if bytes.contains(0) { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first?.isWhitespace == true { scalars.removeFirst() }
        while scalars.last?.isWhitespace == true { scalars.removeLast() }
        return String(scalars)
    }
}
