import Basics

extension SFTPRemote {
    /// Walks only the folder the prefix points into (everything up to its last "/"), so listing one fan-out
    /// folder of a large remote reads one directory, not the whole tree. Temporary files, symlinks and names
    /// that `RemoteName` rejects (written by someone else) are left out.
    public func list(prefix: String) throws -> [RemoteFileInfo] {
        try RemoteName.validatePrefix(prefix, remote: displayName)
        let folderPart: String
        if let slash = prefix.lastIndex(of: "/") { folderPart = String(prefix[..<slash]) } else { folderPart = "" }
        return try session(nil, doing: "list") { connection in
            var found: [RemoteFileInfo] = []
            do {
                try walk(folderPart, prefix: prefix, on: connection, into: &found)
            } catch let status as SFTPStatusError where status.status == .noSuchFile {
                // A missing sub-folder simply holds nothing; a missing root is the remote gone.
                if !folderPart.isEmpty, try connection.attributes(of: root, followingLinks: true) != nil { return [] }
                throw RemoteError(.notFound, remote: displayName, "the remote folder no longer exists")
            }
            return found.sorted { $0.name < $1.name }
        }
    }

    private func walk(_ relative: String, prefix: String, on connection: SFTPConnection,
                      into found: inout [RemoteFileInfo]) throws {
        let entries = try connection.readDirectory(path(of: relative))
        for entry in entries {
            guard let entryName = entry.name, !entryName.hasPrefix(RemoteName.temporaryPrefix) else { continue }
            let name = relative.isEmpty ? entryName : relative + "/" + entryName
            var attributes = entry.attributes
            if attributes.permissions == nil {
                // A server that leaves out the type in listings: ask for this one entry.
                guard let asked = try connection.attributes(of: path(of: name), followingLinks: false) else { continue }
                attributes = asked
            }
            if attributes.isDirectory {
                let folder = name + "/"
                guard folder.hasPrefix(prefix) || prefix.hasPrefix(folder) else { continue }
                do {
                    try walk(name, prefix: prefix, on: connection, into: &found)
                } catch let status as SFTPStatusError where status.status == .noSuchFile {
                    continue  // removed while listing: not there
                }
            } else if attributes.isRegularFile && name.hasPrefix(prefix) && RemoteName.problem(name) == nil {
                found.append(RemoteFileInfo(name: name, size: attributes.size ?? 0))
            }
        }
    }
}
