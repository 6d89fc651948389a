import Basics
import CGit2
#if canImport(Glibc)
import Glibc
#endif

/// Moving references to and from a Git remote through libgit2 (`cairn exp push/pull`): the remote is a configured
/// remote name (`origin`) or a URL/path. SSH remotes authenticate through the user's ssh-agent; a remote that
/// needs a password fails with libgit2's message.
extension GitRepository {
    /// Pushes `refspecs` ("+refs/exps/a:refs/exps/a"). A reference the remote rejects is an error naming it.
    public func push(remote: String, refspecs: [String]) throws {
        if refspecs.isEmpty { return }
        try lock.withLock {
            try withRemote(remote) { handle in
                var options = git_push_options()
                try GitError.check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)),
                                   "git_push_options_init", subject: remote)
                let state = RemoteCallbackState()
                let payload = Unmanaged.passRetained(state)
                defer { payload.release() }
                RemoteCallbackState.install(&options.callbacks, payload: payload.toOpaque())
                options.callbacks.push_update_reference = { name, status, payload in
                    guard let status, let payload else { return 0 }
                    let state = Unmanaged<RemoteCallbackState>.fromOpaque(payload).takeUnretainedValue()
                    state.rejected.append("\(name.map { String(cString: $0) } ?? "?"): \(String(cString: status))")
                    return 0
                }
                let code = try GitStrings.with(refspecs) { git_remote_push(handle, $0, &options) }
                try GitError.check(code, "git_remote_push", subject: "remote \(remote)")
                if !state.rejected.isEmpty {
                    throw CairnError("remote \(remote) rejected " + state.rejected.joined(separator: "; "))
                }
            }
        }
    }

    /// Fetches `refspecs` ("+refs/exps/a:refs/exps/a") with their objects.
    public func fetch(remote: String, refspecs: [String]) throws {
        if refspecs.isEmpty { return }
        try lock.withLock {
            try withRemote(remote) { handle in
                var options = git_fetch_options()
                try GitError.check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)),
                                   "git_fetch_options_init", subject: remote)
                let payload = Unmanaged.passRetained(RemoteCallbackState())
                defer { payload.release() }
                RemoteCallbackState.install(&options.callbacks, payload: payload.toOpaque())
                options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
                let code = try GitStrings.with(refspecs) { git_remote_fetch(handle, $0, &options, "cairn: fetch") }
                try GitError.check(code, "git_remote_fetch", subject: "remote \(remote)")
            }
        }
    }

    /// The remote's references whose names start with `prefix`, with the object each names (`git ls-remote`).
    public func remoteReferences(remote: String, prefix: String) throws -> [(name: String, sha: String)] {
        try lock.withLock {
            try withRemote(remote) { handle in
                var callbacks = git_remote_callbacks()
                try GitError.check(git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION)),
                                   "git_remote_init_callbacks", subject: remote)
                let payload = Unmanaged.passRetained(RemoteCallbackState())
                defer { payload.release() }
                RemoteCallbackState.install(&callbacks, payload: payload.toOpaque())
                try GitError.check(git_remote_connect(handle, GIT_DIRECTION_FETCH, &callbacks, nil, nil),
                                   "git_remote_connect", subject: "remote \(remote)")
                defer { _ = git_remote_disconnect(handle) }
                var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
                var count = 0
                try GitError.check(git_remote_ls(&heads, &count, handle), "git_remote_ls", subject: "remote \(remote)")
                var found: [(name: String, sha: String)] = []
                for position in 0..<count {
                    guard let head = heads?[position], let name = head.pointee.name else { continue }
                    let text = String(cString: name)
                    guard text.hasPrefix(prefix) else { continue }
                    var oid = head.pointee.oid
                    found.append((text, GitOID.hex(&oid)))
                }
                return found.sorted { $0.name < $1.name }
            }
        }
    }

    /// True when `name` is a remote configured in this repository.
    public func hasRemote(_ name: String) -> Bool {
        lock.withLock {
            var found: OpaquePointer?
            defer { git_remote_free(found) }
            return git_remote_lookup(&found, handle, name) == 0
        }
    }

    private func withRemote<T>(_ remote: String, _ body: (OpaquePointer) throws -> T) throws -> T {
        var found: OpaquePointer?
        var code = git_remote_lookup(&found, handle, remote)
        if code == GitError.notFound || code == GIT_EINVALIDSPEC.rawValue {
            guard remote.contains("/") || remote.contains(":") else {
                throw CairnError("'\(remote)' is not a Git remote of this repository (see `git remote -v`)")
            }
            code = git_remote_create_anonymous(&found, handle, remote)
        }
        try GitError.check(code, "git_remote_lookup", subject: "remote \(remote)")
        guard let found else { throw CairnError.bug("git_remote_lookup returned no remote") }
        defer { git_remote_free(found) }
        return try body(found)
    }
}

/// What the C callbacks of one remote operation share: rejected references, and how often credentials were asked
/// for (libgit2 asks again after every failed attempt; the agent is tried once, then the operation fails).
final class RemoteCallbackState {
    var rejected: [String] = []
    var credentialAttempts = 0

    static func install(_ callbacks: inout git_remote_callbacks, payload: UnsafeMutableRawPointer) {
        callbacks.payload = payload
        callbacks.credentials = { out, _, username, allowed, payload in
            guard let payload else { return GIT_PASSTHROUGH.rawValue }
            let state = Unmanaged<RemoteCallbackState>.fromOpaque(payload).takeUnretainedValue()
            state.credentialAttempts += 1
            guard state.credentialAttempts == 1, allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 else {
                return GIT_PASSTHROUGH.rawValue
            }
            let user = username.map { String(cString: $0) } ?? "git"
            return git_credential_ssh_key_from_agent(out, user)
        }
    }
}

/// A `git_strarray` for the length of one call.
enum GitStrings {
    static func with<T>(_ strings: [String], _ body: (UnsafePointer<git_strarray>) throws -> T) rethrows -> T {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        return try pointers.withUnsafeMutableBufferPointer { buffer in
            var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            return try body(&array)
        }
    }
}
