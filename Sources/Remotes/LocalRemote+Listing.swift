import Basics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LocalRemote {
    /// Walks only the folder the prefix points into (everything up to its last "/"), so listing one fan-out
    /// folder of a large remote does not read the whole tree.
    public func list(prefix: String) throws -> [RemoteFileInfo] {
        try RemoteName.validatePrefix(prefix, remote: displayName)
        let folderPart: String
        if let slash = prefix.lastIndex(of: "/") { folderPart = String(prefix[..<slash]) } else { folderPart = "" }
        if !FS.isDirectory(root) {
            throw RemoteError(.notFound, remote: displayName, "the remote folder no longer exists")
        }
        var found: [RemoteFileInfo] = []
        let start = folderPart.isEmpty ? root : path(of: folderPart)
        if !folderPart.isEmpty && !FS.isDirectory(start) { return [] }
        try walk(directory: start, relative: folderPart, prefix: prefix, into: &found)
        return found.sorted { $0.name < $1.name }
    }

    private func walk(directory: String, relative: String, prefix: String, into found: inout [RemoteFileInfo]) throws {
        let entries: [(name: String, type: UInt8)]
        do { entries = try FS.listDirectory(directory) } catch {
            let kind = RemoteError.kind(forErrno: errno)
            throw RemoteError(kind == .notFound ? .other : kind, remote: displayName, name: relative.isEmpty ? nil : relative,
                              "cannot list the folder: \(error)")
        }
        for entry in entries where !entry.name.hasPrefix(RemoteName.temporaryPrefix) {
            let name = relative.isEmpty ? entry.name : relative + "/" + entry.name
            let full = Paths.join(directory, entry.name)
            // A folder can hold matches when its name with "/" could still extend to the prefix or beyond it.
            guard let st = try? FS.lstat(full) else { continue }  // removed while listing: not there
            if st.isDirectory {
                let folder = name + "/"
                if folder.hasPrefix(prefix) || prefix.hasPrefix(folder) {
                    try walk(directory: full, relative: name, prefix: prefix, into: &found)
                }
            } else if st.isRegular && name.hasPrefix(prefix) {
                found.append(RemoteFileInfo(name: name, size: st.size))
            }
        }
    }
}
