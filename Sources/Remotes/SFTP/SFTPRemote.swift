import Basics

/// A remote on an SSH server (`ssh://[user@]host[:port]/path`), spoken to over SFTP like git and rsync do:
/// through the system's OpenSSH client, so ~/.ssh/config, known_hosts, default keys and agents all work as the
/// user expects, and a host key that is unknown or changed is refused, never accepted silently.
///
/// Uploads go to `.cairn-tmp-<random>` in the target's folder and are renamed over the name with OpenSSH's
/// posix-rename (atomic replace) after an fsync on the server. The remote folder must exist; it is never
/// created. Sessions are pooled (`SFTPSettings.connections`) and closed by `close()` or when the last copy
/// of the remote goes away.
public struct SFTPRemote: Remote {
    public let settings: SFTPSettings
    public let displayName: String
    /// The remote folder as a server path: absolute, or relative to the home folder.
    let root: String
    let pool: SFTPConnectionPool

    public init(settings: SFTPSettings) {
        self.settings = settings
        let displayName = settings.displayName
        self.displayName = displayName
        let root = settings.path
        self.root = root
        pool = SFTPConnectionPool(limit: settings.connections) {
            // A session that cannot start is a problem of the remote, not of the file at hand: no name.
            let connection: SFTPConnection
            do { connection = try SFTPConnection(settings: settings) } catch {
                throw SFTPRemote.mapped(error, remote: displayName, name: nil, doing: "connect")
            }
            do {
                try Self.checkRoot(root, on: connection, remote: displayName)
            } catch {
                connection.close()
                throw error
            }
            return connection
        }
    }

    /// Opens the remote an `ssh://` URL names, with the remote's options (see `SFTPSettings.resolve`).
    public init(url: RemoteURL, options: [String: String], environment: [String: String]) throws {
        guard case .ssh(let user, let host, let port, let path) = url.kind else {
            throw CairnError("\(url.original): not an ssh:// remote")
        }
        self.init(settings: try SFTPSettings.resolve(user: user, host: host, port: port, path: path,
                                                     options: options, environment: environment))
    }

    /// Ends all idle SSH sessions now (they are also ended when the remote is released).
    public func close() { pool.close() }

    /// Every new session checks the folder first, so a typo or a missing folder is one clear message and an
    /// upload can never create the root by accident.
    private static func checkRoot(_ root: String, on connection: SFTPConnection, remote: String) throws {
        let attributes: SFTPAttributes?
        do { attributes = try connection.attributes(of: root, followingLinks: true) } catch {
            throw mapped(error, remote: remote, name: nil, doing: "inspect the remote folder")
        }
        guard let attributes else {
            throw RemoteError(.notFound, remote: remote,
                              "the remote folder does not exist (create it on the server first)")
        }
        if !attributes.isDirectory {
            throw RemoteError(.other, remote: remote, "the remote path is not a folder")
        }
    }

    /// The server path of a remote file or folder name ("" is the root).
    func path(of name: String) -> String {
        if name.isEmpty { return root }
        if root == "/" { return "/" + name }
        return root + "/" + name
    }

    public func exists(_ name: String) throws -> Bool {
        try RemoteName.validate(name, remote: displayName)
        return try session(name, doing: "stat") { connection in
            try connection.attributes(of: path(of: name), followingLinks: false)?.isRegularFile ?? false
        }
    }

    public func delete(_ name: String) throws {
        try RemoteName.validate(name, remote: displayName)
        let target = path(of: name)
        try session(name, doing: "delete") { connection in
            do {
                try connection.removeFile(target)
            } catch let status as SFTPStatusError where status.status == .failure {
                // Removing a folder fails with a generic FAILURE; say what it really was.
                if try connection.attributes(of: target, followingLinks: false)?.isDirectory == true {
                    throw RemoteError(.notFound, remote: displayName, name: name, "is a folder, not a file")
                }
                throw status
            }
            removeEmptyFolders(above: name, on: connection)
        }
    }

    /// Deleting the last file of a folder removes the folder (as LocalRemote does), up to but not including
    /// the root. Stops at the first folder that is not empty; failures only leave an empty folder behind.
    private func removeEmptyFolders(above name: String, on connection: SFTPConnection) {
        var folder = Paths.parent(name)
        while !folder.isEmpty && folder != "/" {
            do { try connection.removeDirectory(path(of: folder)) } catch { return }
            folder = Paths.parent(folder)
        }
    }

    /// Runs `body` on a pooled session and turns SFTP failures into `RemoteError`s naming this remote and `name`.
    func session<T>(_ name: String?, doing action: String, _ body: (SFTPConnection) throws -> T) throws -> T {
        do {
            return try pool.withConnection(body)
        } catch {
            throw Self.mapped(error, remote: displayName, name: name, doing: action)
        }
    }

    /// Classifies a failure: RemoteError and CairnError (local side) pass through unchanged.
    static func mapped(_ error: Error, remote: String, name: String?, doing action: String) -> Error {
        switch error {
        case let lost as SFTPSessionLost:
            return RemoteError(lost.kind, remote: remote, name: name, lost.message)
        case let status as SFTPStatusError:
            return RemoteError(kind(of: status), remote: remote, name: name, "\(action) failed: \(status)")
        default:
            return error
        }
    }

    static func kind(of status: SFTPStatusError) -> RemoteError.Kind {
        switch status.status {
        case .noSuchFile: return .notFound
        case .permissionDenied: return .permissionDenied
        case .noConnection, .connectionLost: return .unreachable
        default: return .other
        }
    }
}
