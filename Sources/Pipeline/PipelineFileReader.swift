#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Basics

/// The one door through which the Pipeline module reads a file it did not write: cairn.yaml, params files,
/// `vars` files (and later cairn.lock and metrics). A shared hardened loader for structured files is being built
/// elsewhere; when it lands, it replaces the body of `read` and `composeYAML` and nothing else changes.
///
/// Why each limit: a symbolic link could make cairn read (and echo in errors) a file outside the repository; a
/// FIFO or device would block or never end; a huge file would be read into memory whole; deep nesting overflows
/// the recursive YAML composer's stack; and aliases let a few bytes expand into billions of nodes.
public enum PipelineFileReader {
    public static let maxFileSize = 8 << 20
    public static let maxDepth = 256
    public static let maxAliases = 256
    /// Nodes after alias expansion: far beyond any real pipeline, far below what exhausts memory.
    public static let maxNodes = 2_000_000

    /// The bytes of the regular file at `path`. `displayName` is how errors name it (repo-relative).
    public static func read(_ path: String, displayName: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ELOOP { throw CairnError("\(displayName): is a symbolic link; cairn reads pipeline files only from regular files") }
            if code == ENOENT { throw CairnError("\(displayName): does not exist") }
            throw CairnError.posix("open", displayName, errno: code)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw CairnError.posix("fstat", displayName, errno: errno) }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            let what = (st.st_mode & S_IFMT) == S_IFDIR ? "a directory" : "not a regular file"
            throw CairnError("\(displayName): is \(what); expected a regular file")
        }
        guard Int(st.st_size) <= maxFileSize else {
            throw CairnError("\(displayName): is \(st.st_size) bytes; pipeline files are limited to \(maxFileSize >> 20) MiB")
        }
        // Read one byte past the limit so a file that grows while we read is still refused.
        var buffer = [UInt8](repeating: 0, count: Int(st.st_size) + 1)
        var total = try buffer.withUnsafeMutableBytes { try FS.readFully(fd, into: $0, path: displayName) }
        while total == buffer.count {
            guard buffer.count <= maxFileSize else {
                throw CairnError("\(displayName): is larger than \(maxFileSize >> 20) MiB; pipeline files are limited to that")
            }
            buffer += [UInt8](repeating: 0, count: 1 << 16)
            total += try buffer.withUnsafeMutableBytes {
                try FS.readFully(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[total...]), path: displayName)
            }
        }
        return Array(buffer[0..<total])
    }

    /// The file at `path` as UTF-8 text.
    public static func readText(_ path: String, displayName: String) throws -> String {
        let bytes = try read(path, displayName: displayName)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw CairnError("\(displayName): is not UTF-8 text") }
        return text
    }

    /// Parses YAML text into a located tree, within the depth, alias and size limits. An empty document is null.
    public static func composeYAML(_ text: String, displayName: String) throws -> SourceNode {
        try YAMLDocument.compose(text, file: displayName)
    }

    /// Reads and parses a YAML file.
    public static func loadYAML(_ path: String, displayName: String) throws -> SourceNode {
        try composeYAML(try readText(path, displayName: displayName), displayName: displayName)
    }
}
