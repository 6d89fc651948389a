import Basics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything needed to open SFTP sessions to one `ssh://` remote: where, as whom, with which key and
/// known_hosts, and how many sessions at once. Built by `resolve`, from the URL's parts and the remote's options.
public struct SFTPSettings: Equatable, Sendable {
    public var user: String?
    public var host: String
    public var port: Int?
    /// The remote folder: absolute, or relative to the login's home folder when the URL path starts with `/~`.
    public var path: String
    /// A private key to use instead of ssh's defaults (`-i KEY -oIdentitiesOnly=yes`).
    public var keyFile: String?
    /// A known_hosts file to use instead of ~/.ssh/known_hosts (tests, unusual setups).
    public var knownHostsFile: String?
    /// The most SSH sessions (ssh processes) kept open at once; each serves one thread at a time.
    public var connections: Int
    /// The absolute path of the ssh client.
    public var sshProgram: String
    /// The environment ssh runs with (HOME for ~/.ssh, SSH_AUTH_SOCK for an agent).
    public var environment: [String: String]

    public static let defaultConnections = 4
    static let connectionLimit = 1...128

    public init(user: String?, host: String, port: Int?, path: String, keyFile: String? = nil,
                knownHostsFile: String? = nil, connections: Int = SFTPSettings.defaultConnections,
                sshProgram: String, environment: [String: String]) {
        self.user = user
        self.host = host
        self.port = port
        self.path = path
        self.keyFile = keyFile
        self.knownHostsFile = knownHostsFile
        self.connections = connections
        self.sshProgram = sshProgram
        self.environment = environment
    }

    /// `ssh://user@host:port/path`, with the user and port only when given.
    public var displayName: String {
        let userPart = user.map { "\($0)@" } ?? ""
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let portPart = port.map { ":\($0)" } ?? ""
        let pathPart = path.hasPrefix("/") ? path : "/~" + (path == "." ? "" : "/" + path)
        return "ssh://\(userPart)\(hostPart)\(portPart)\(pathPart)"
    }

    /// Combines the parts of an `ssh://` URL with the remote's options (lowercase keys `user`, `port`,
    /// `keyfile`, `knownhostsfile`, `connections`; `password` is refused; other keys belong to other layers
    /// and are ignored).
    /// An option may repeat what the URL says but not contradict it. `~` in file options is the HOME of
    /// `environment`, and relative paths are taken from the current folder.
    public static func resolve(user: String?, host: String, port: Int?, path: String,
                               options: [String: String], environment: [String: String]) throws -> SFTPSettings {
        var shown = SFTPSettings(user: user, host: host, port: port, path: path, sshProgram: "ssh", environment: [:])
        func fail(_ why: String) -> CairnError { CairnError("remote \(shown.displayName): \(why)") }

        if options["password"] != nil {
            throw fail("option password: password logins are not supported (cairn never prompts and keeps no "
                + "SSH passwords); use a key: the keyfile option, ~/.ssh/id_* or ssh-agent")
        }
        if host.isEmpty || host.hasPrefix("-") || host.contains(where: { $0.isWhitespace || $0 == "/" }) {
            throw fail("invalid host name '\(host)'")
        }
        var resolvedUser = user
        if let optionUser = options["user"] {
            if optionUser.isEmpty || optionUser.hasPrefix("-") || optionUser.contains(where: \.isWhitespace) {
                throw fail("option user: invalid user name '\(optionUser)'")
            }
            if let user, user != optionUser {
                throw fail("option user '\(optionUser)' contradicts the user '\(user)' in the URL")
            }
            resolvedUser = optionUser
        }
        if let resolvedUser, resolvedUser.hasPrefix("-") { throw fail("invalid user name '\(resolvedUser)'") }
        var resolvedPort = port
        if let text = options["port"] {
            guard let value = Int(text), (1...65535).contains(value) else {
                throw fail("option port: invalid value '\(text)' (a number from 1 to 65535)")
            }
            if let port, port != value { throw fail("option port \(value) contradicts the port \(port) in the URL") }
            resolvedPort = value
        }
        if let port = resolvedPort, !(1...65535).contains(port) { throw fail("invalid port \(port)") }
        shown.user = resolvedUser
        shown.port = resolvedPort

        var connections = defaultConnections
        if let text = options["connections"] {
            guard let value = Int(text), connectionLimit.contains(value) else {
                throw fail("option connections: invalid value '\(text)' (a number from 1 to \(connectionLimit.upperBound))")
            }
            connections = value
        }
        let home = environment["HOME"]
        func localPath(_ key: String) throws -> String? {
            guard let text = options[key] else { return nil }
            if text.isEmpty { throw fail("option \(key): empty path") }
            var expanded = text
            if text == "~" || text.hasPrefix("~/") {
                guard let home, !home.isEmpty else { throw fail("option \(key): cannot expand '~' without HOME") }
                expanded = home + text.dropFirst()
            }
            return Paths.absolute(expanded, cwd: FS.currentDirectory())
        }
        let keyFile = try localPath("keyfile")
        let knownHostsFile = try localPath("knownhostsfile")
        if let keyFile, !FS.exists(keyFile) { throw fail("option keyfile: \(keyFile) does not exist") }

        guard let ssh = locateSSH(environment: environment) else {
            throw fail("the ssh client is not installed (no 'ssh' on PATH); install OpenSSH's client")
        }
        return SFTPSettings(user: resolvedUser, host: host, port: resolvedPort, path: remoteFolder(path),
                            keyFile: keyFile, knownHostsFile: knownHostsFile, connections: connections,
                            sshProgram: ssh, environment: environment)
    }

    /// `/~` and `/~/x` in a URL mean the home folder and a folder below it, as in scp-style paths; SFTP servers
    /// resolve relative paths against the home folder.
    static func remoteFolder(_ urlPath: String) -> String {
        let trimmed = "/" + urlPath.split(separator: "/").joined(separator: "/")
        if trimmed == "/~" { return "." }
        if trimmed.hasPrefix("/~/") { return String(trimmed.dropFirst(3)) }
        return trimmed
    }

    static func locateSSH(environment: [String: String]) -> String? {
        ExecutableSearch.find("ssh", path: environment["PATH"])
    }

    /// The ssh command line of one SFTP session. No shell is involved; only what ssh itself parses needs care:
    /// it expands `%` tokens in key and known_hosts paths and splits -o values at spaces unless quoted.
    var sshArguments: [String] {
        var arguments = [sshProgram, "-oBatchMode=yes", "-oStrictHostKeyChecking=yes", "-oConnectTimeout=10",
                         "-oServerAliveInterval=15", "-oClearAllForwardings=yes"]
        if let port { arguments += ["-p", String(port)] }
        if let user { arguments += ["-l", user] }
        if let keyFile { arguments += ["-i", keyFile.replacingPercent, "-oIdentitiesOnly=yes"] }
        if let knownHostsFile {
            let value = knownHostsFile.replacingPercent
            let quoted = value.contains(where: { $0.isWhitespace || $0 == "\"" }) ? "\"" + value
                .replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\"" : value
            arguments.append("-oUserKnownHostsFile=" + quoted)
        }
        // "--": a host can never be read as an option.
        arguments += ["-s", "--", host, "sftp"]
        return arguments
    }
}

extension String {
    fileprivate var replacingPercent: String { replacing("%", with: "%%") }
}
