import Basics
import Workspace
import Remotes

/// The rules for remote names, URLs, keys and values, applied both when a command writes them and when the
/// push/pull layer reads them back (the files may have been edited by hand).
extension RemoteConfiguration {
    static let commonKeys = ["url", "jobs"]
    static let s3Keys = ["endpointurl", "region", "profile", "access_key_id", "secret_access_key", "session_token"]
    static let sshKeys = ["user", "port", "keyfile", "knownhostsfile", "password", "connections"]
    /// `access_key_id` is not secret on its own, but it is useless without its secret and the pair belongs in
    /// one file, so both must go to config.local.
    static let secretKeys: Set<String> = ["secret_access_key", "session_token", "password", "access_key_id"]
    static let maximumNameLength = 64

    public static func isSecret(_ key: String) -> Bool { secretKeys.contains(key.lowercased()) }

    static func kindName(_ kind: RemoteURL.Kind) -> String {
        switch kind {
        case .local: return "local"
        case .s3: return "s3"
        case .ssh: return "ssh"
        }
    }

    static func validKeys(for kind: RemoteURL.Kind) -> [String] {
        switch kind {
        case .local: return commonKeys
        case .s3: return commonKeys + s3Keys
        case .ssh: return commonKeys + sshKeys
        }
    }

    /// `[A-Za-z0-9][A-Za-z0-9._-]*`, at most 64 characters: safe in a section header, a path and a message.
    static func checkName(_ name: String) throws {
        func isAlphanumeric(_ c: UInt8) -> Bool {
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
        }
        let bytes = Array(name.utf8)
        let valid = !bytes.isEmpty && bytes.count <= maximumNameLength && isAlphanumeric(bytes[0])
            && bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_")
                || $0 == UInt8(ascii: "-") }
        if !valid {
            throw CairnError("invalid remote name '\(name.prefix(80))': use letters, digits, '.', '_' and '-',"
                + " starting with a letter or digit, at most \(maximumNameLength) characters")
        }
    }

    /// RemoteURL.parse, after refusing credentials in the URL: they would be committed with .cairn/config and
    /// show up in every listing. The message masks them.
    static func parseURL(_ text: String, remote: String) throws -> RemoteURL {
        if let problem = credentialProblem(text, remote: remote) { throw CairnError("remote '\(remote)': \(problem)") }
        do {
            return try RemoteURL.parse(text)
        } catch let error as CairnError {
            throw CairnError("remote '\(remote)': \(error.message)", exitCode: error.exitCode)
        }
    }

    private static func credentialProblem(_ text: String, remote: String) -> String? {
        guard let schemeEnd = text.firstRange(of: "://") else { return nil }
        let scheme = text[..<schemeEnd.lowerBound].lowercased().trimmingCharacters()
        let rest = text[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        guard let at = authority.lastIndex(of: "@") else { return nil }
        let userInfo = authority[..<at]
        let tail = rest[at...]
        if scheme == "s3" {
            return "remote URL '\(scheme)://****\(tail)' has embedded credentials; keep them out of the URL"
                + " and in .cairn/config.local: cairn remote modify --local \(remote) access_key_id ..."
                + " (and secret_access_key)"
        }
        guard let colon = userInfo.firstIndex(of: ":") else { return nil }
        let masked = "\(scheme)://\(userInfo[..<colon]):****\(tail)"
        return "remote URL '\(masked)' has an embedded password; password authentication is not supported;"
            + " use a key (keyfile): cairn remote modify \(remote) keyfile PATH"
    }

    /// Unknown keys are refused (a typo like `endpoint_url` would otherwise be ignored silently), and so is
    /// `password`, reserved until password authentication exists (so it is not offered in the list either).
    static func checkKey(_ key: String, remote: String, kind: RemoteURL.Kind) throws {
        let valid = validKeys(for: kind)
        guard valid.contains(key) else {
            let kindName = kindName(kind)
            let article = kindName == "local" ? "a" : "an"   // "an s3", "an ssh"
            throw CairnError("remote '\(remote)': unknown key '\(key)' for \(article) \(kindName) remote;"
                + " valid keys: \(valid.filter { $0 != "password" }.joined(separator: ", "))")
        }
        if key == "password" {
            throw CairnError("remote '\(remote)': password authentication is not supported; use a key (keyfile)")
        }
    }

    /// The checks that are cheap and catch the usual mistakes; the remote itself reports the rest when used.
    static func checkValue(_ value: String, key: String, remote: String) throws {
        func fail(_ why: String) -> CairnError { CairnError("remote '\(remote)': \(key) \(why)") }
        let shown = isSecret(key) ? "****" : value
        if value.trimmingCharacters().isEmpty {
            throw fail("is empty; to remove it: cairn remote modify --unset \(remote) \(key)")
        }
        switch key {
        case "url":
            _ = try parseURL(value, remote: remote)
        case "port":
            guard let port = Int(value), (1...65535).contains(port) else { throw fail("must be 1 to 65535, not '\(shown)'") }
        case "jobs", "connections":
            guard let count = Int(value), (1...128).contains(count) else { throw fail("must be 1 to 128, not '\(shown)'") }
        case "endpointurl":
            let lower = value.lowercased()
            let scheme = lower.hasPrefix("https://") ? "https://" : lower.hasPrefix("http://") ? "http://" : nil
            guard let scheme, value.count > scheme.count, !value.contains(where: \.isWhitespace) else {
                throw fail("must be an http:// or https:// URL, not '\(shown)'")
            }
        default:
            if key != "keyfile" && key != "knownhostsfile" && value.contains(where: \.isWhitespace) {
                throw fail("may not contain whitespace: '\(shown)'")
            }
        }
    }
}
