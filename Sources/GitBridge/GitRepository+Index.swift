import Basics
import CGit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Questions answered from Git's index (the staging area): which paths Git tracks. cairn asks before it
/// takes over a path, because a file Git already tracks must not also be stored by cairn.
extension GitRepository {
    /// True when `relativePath` (relative to `workdir`) is in the index as a file, or is a directory with
    /// at least one indexed file below it. The empty path (the work tree root) is tracked when anything is.
    public func isTracked(_ relativePath: String) throws -> Bool {
        try withCurrentIndex { index in try isTracked(relativePath, in: index) }
    }

    /// `isTracked` for many paths with one read of the index; answers in the order of `relativePaths`.
    public func areTracked(_ relativePaths: [String]) throws -> [Bool] {
        try withCurrentIndex { index in try relativePaths.map { try isTracked($0, in: index) } }
    }

    /// The indexed files below `relativeDirectory` (all of them for ""), as paths relative to `workdir`, in
    /// the index's order (byte order), each once even when a merge conflict gives it several stages.
    public func trackedPaths(under relativeDirectory: String) throws -> [String] {
        let directory = GitRepository.normalized(relativeDirectory)
        return try withCurrentIndex { index in
            let count = git_index_entrycount(index)
            var position = 0
            let prefix = directory.isEmpty ? "" : directory + "/"
            if !prefix.isEmpty {
                let code = git_index_find_prefix(&position, index, prefix)
                if code == GitError.notFound { return [] }
                try GitError.check(code, "git_index_find_prefix", subject: Paths.join(workdir, directory))
            }
            let prefixLength = prefix.utf8.count
            var paths: [String] = []
            while position < count, let entry = git_index_get_byindex(index, position), let path = entry.pointee.path {
                // Byte comparison: the index is sorted by bytes, and Swift's String comparison would treat
                // canonically equivalent Unicode spellings as equal.
                if prefixLength > 0 && strncmp(path, prefix, prefixLength) != 0 { break }
                let name = String(cString: path)
                if paths.last != name { paths.append(name) }
                position += 1
            }
            return paths
        }
    }

    private func isTracked(_ relativePath: String, in index: OpaquePointer) throws -> Bool {
        let path = GitRepository.normalized(relativePath)
        if path.isEmpty { return git_index_entrycount(index) > 0 }
        if git_index_find(nil, index, path) == 0 { return true }
        // "dir/" and not "dir": a sibling file "dir2" or "dir.csv" must not count.
        let code = git_index_find_prefix(nil, index, path + "/")
        if code == GitError.notFound { return false }
        try GitError.check(code, "git_index_find_prefix", subject: Paths.join(workdir, path))
        return true
    }

    /// Runs `body` with the index as it is on disk now. git_index_read(force: 0) reloads only when the file
    /// changed since the last load (libgit2 compares its mtime, size and inode; git replaces the index by
    /// rename, so every write changes the inode), which keeps repeated calls cheap on big indexes.
    func withCurrentIndex<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        try lock.withLock {
            // The first call loads the index file, so both calls can fail on its content: name the file.
            let indexFile = Paths.join(gitDir, "index")
            var opened: OpaquePointer?
            try GitError.check(git_repository_index(&opened, handle), "git_repository_index", subject: indexFile)
            guard let index = opened else { throw CairnError.bug("git_repository_index returned no index") }
            defer { git_index_free(index) }
            try GitError.check(git_index_read(index, 0), "git_index_read", subject: indexFile)
            return try body(index)
        }
    }

    /// Repo-relative paths as the index spells them: no trailing "/", and "." or "./x" without the dot.
    static func normalized(_ relativePath: String) -> String {
        var path = Substring(relativePath)
        while path.hasPrefix("./") { path.removeFirst(2) }
        while path.hasSuffix("/") { path.removeLast() }
        return path == "." ? "" : String(path)
    }
}
