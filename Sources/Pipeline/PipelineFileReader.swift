import Basics
import Workspace

/// The one door through which the Pipeline module reads a file it did not write: cairn.yaml, params files,
/// `vars` files, cairn.lock and metrics. Bytes come through Workspace's `StructuredFileLoader` (the one reader of
/// files from a repository); YAML is composed here, within the same limits, into located nodes so that errors
/// can name the line.
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

    /// The bytes of the regular file at `path`. `displayName` is how errors name it (repo-relative). The read is
    /// Workspace's hardened loader (regular files only, never following a symbolic link, never blocking on a FIFO).
    public static func read(_ path: String, displayName: String) throws -> [UInt8] {
        guard let bytes = try StructuredFileLoader.readRegularFile(path, display: displayName,
                                                                  limits: .init(maxBytes: maxFileSize, maxDepth: maxDepth, maxNodes: maxNodes)) else {
            throw CairnError("\(Paths.quoted(displayName)): does not exist")
        }
        return bytes
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
