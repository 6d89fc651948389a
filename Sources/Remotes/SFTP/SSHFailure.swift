/// Turns what the ssh client printed on stderr into a `RemoteError` kind and one line a person can act on.
///
/// ssh's messages are stable across OpenSSH versions (git and rsync users have grepped them for decades); only
/// the ones that change what the user must do are told apart. Everything unrecognised counts as unreachable:
/// a session that broke for an unknown reason may work on the next try, and RetryingRemote bounds the tries.
enum SSHFailure {
    struct Classified: Equatable {
        var kind: RemoteError.Kind
        var message: String
    }

    /// `stderr` is ssh's complete error output; `host`, `port` and `knownHosts` (the file ssh checks) are for
    /// the fix-it hints.
    static func classify(stderr: String, host: String, port: Int?, knownHosts: String = "~/.ssh/known_hosts",
                         exit: String) -> Classified {
        let lines = stderr.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: " \t.") }
            .map { $0.hasPrefix("ssh: ") ? String($0.dropFirst(5)) : $0 }
            .filter { !$0.isEmpty }
        func has(_ text: String) -> Bool { lines.contains { $0.lowercased().contains(text.lowercased()) } }
        func line(containing text: String) -> String {
            lines.first { $0.lowercased().contains(text.lowercased()) } ?? text
        }
        let portOption = port.map { "-p \($0) " } ?? ""
        let keyscan = "ssh-keyscan \(portOption)\(host) >> \(knownHosts)"

        if has("REMOTE HOST IDENTIFICATION HAS CHANGED") || has("host key for") && has("has changed") {
            let entry = port.map { "'[\(host)]:\($0)'" } ?? host
            return Classified(kind: .authentication, message:
                "the server's host key has CHANGED since it was recorded in known_hosts (the server was reinstalled, "
                + "or someone is intercepting the connection); if the new key is expected, check its fingerprint, "
                + "then run `ssh-keygen -f \(knownHosts) -R \(entry)` and `\(keyscan)`")
        }
        if has("host key is known for") || has("Host key verification failed") || has("authenticity of host") {
            return Classified(kind: .authentication, message:
                "the server's host key is unknown (not in known_hosts); check its fingerprint with the server's "
                + "administrator, then add it with `\(keyscan)`")
        }
        if has("UNPROTECTED PRIVATE KEY FILE") {
            return Classified(kind: .authentication, message:
                "ssh refused the private key because others can read it; fix it with `chmod 600 KEYFILE`")
        }
        if has("Permission denied (") || has("Too many authentication failures") {
            return Classified(kind: .authentication, message:
                "the server refused the login (\(line(containing: "Permission denied"))); check the user name, "
                + "the key (the keyfile option or ~/.ssh) and the server's authorized_keys")
        }
        if has("subsystem request failed") {
            return Classified(kind: .other, message:
                "the server does not offer SFTP (ssh: \(line(containing: "subsystem request failed")))")
        }
        if has("Bad configuration option") || has("Unsupported option") || has("Bad port") || has("no argument after keyword") {
            return Classified(kind: .other, message: "ssh rejected its configuration: \(lines.last ?? "")")
        }
        let unreachable = ["Connection refused", "Connection timed out", "timed out", "Could not resolve hostname",
                           "Name or service not known", "No route to host", "Network is unreachable",
                           "Connection reset", "Connection closed", "Broken pipe", "Timeout, server"]
        if let match = unreachable.first(where: has) {
            return Classified(kind: .unreachable, message:
                "cannot reach the server (ssh: \(line(containing: match)))")
        }
        let detail = lines.last.map { "ssh: \($0)" } ?? "ssh ended with \(exit) and printed nothing"
        return Classified(kind: .unreachable, message: "the SSH connection ended unexpectedly (\(detail))")
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = self
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
