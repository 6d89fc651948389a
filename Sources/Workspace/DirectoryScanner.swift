import Basics
#if canImport(Glibc)
import Glibc
#endif

/// What a directory holds, found without following symbolic links.
public struct DirectoryScan: Sendable {
    public struct File: Sendable { public var path: String; public var stat: FileStat }
    /// Regular files, paths relative to the scanned directory.
    public var files: [File] = []
    /// Every directory below (not the scanned one itself), relative paths; lets empty directories be tracked.
    public var directories: [String] = []
    /// Symbolic links: not followed and not tracked (docs/commands.md, "symbolic links").
    public var symlinks: [String] = []
    /// Sockets, FIFOs, devices: never tracked.
    public var special: [String] = []
    /// `.git` and `.cairn` folders below (a nested repository): never tracked, never descended into.
    public var reserved: [String] = []
    /// Names no tree may hold (control characters): `add` refuses them, naming the file.
    public var unsupportedNames: [(path: String, problem: String)] = []
}

/// Walks a directory tree with readdir + fstatat, one directory level at a time with the levels' directories
/// spread over all cores. Foundation's enumerator is several times slower per entry, and status on 100k files
/// has to stay within twice the cost of `find -printf`.
public enum DirectoryScanner {
    public static func scan(_ absoluteRoot: String) throws -> DirectoryScan {
        var result = DirectoryScan()
        var level = [""]
        while !level.isEmpty {
            let partials = Locked([Int: DirectoryScan]())
            let dirs = level
            try Parallel.forEach(dirs.count) { i in
                let part = try scanOne(root: absoluteRoot, relative: dirs[i])
                partials.withLock { $0[i] = part }
            }
            level = []
            let parts = partials.snapshot
            for i in dirs.indices {
                guard let part = parts[i] else { continue }
                result.files += part.files
                result.symlinks += part.symlinks
                result.special += part.special
                result.reserved += part.reserved
                result.unsupportedNames += part.unsupportedNames
                result.directories += part.directories
                level += part.directories
            }
        }
        return result
    }

    /// One directory: its files with their stat, and its subdirectories (not descended into here).
    static func scanOne(root: String, relative: String) throws -> DirectoryScan {
        let path = relative.isEmpty ? root : Paths.join(root, relative)
        guard let dir = opendir(path) else { throw CairnError.posix("opendir", path, errno: errno) }
        defer { closedir(dir) }
        let fd = dirfd(dir)
        var out = DirectoryScan()
        while let ent = readdir(dir) {
            let maybeName: String? = withUnsafePointer(to: ent.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(validatingCString: $0) }
            }
            guard let name = maybeName else {
                throw CairnError("\(path): contains a file name that is not valid UTF-8; rename it to track this directory")
            }
            if name == "." || name == ".." { continue }
            let rel = relative.isEmpty ? name : relative + "/" + name
            if let problem = Paths.componentProblem(name.utf8) {
                let lowered = name.lowercased()
                if lowered == ".git" || lowered == ".cairn" { out.reserved.append(rel) } else {
                    out.unsupportedNames.append((rel, problem))
                }
                continue
            }
            var st = stat()
            if fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 {
                if errno == ENOENT { continue }  // deleted while we looked
                throw CairnError.posix("lstat", Paths.join(path, name), errno: errno)
            }
            let info = FileStat(st)
            if info.isRegular { out.files.append(.init(path: rel, stat: info)) }
            else if info.isDirectory { out.directories.append(rel) }
            else if info.isSymlink { out.symlinks.append(rel) }
            else { out.special.append(rel) }
        }
        return out
    }
}
