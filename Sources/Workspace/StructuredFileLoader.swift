#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Basics
import Dispatch
import Foundation
import Yams

/// The one reader for every structured file cairn reads from a repository someone else may have written: pointers,
/// `.cairn/config`, `config.local` (and later `cairn.yaml`, `cairn.lock`, params and metrics). Such a file can be a
/// symlink to /dev/zero, a FIFO that never answers, gigabytes, 3,000 nested brackets or an anchor bomb; each is
/// refused with one line naming the file and the limit, before any parser sees it. Limits: docs/formats.md.
public enum StructuredFileLoader {
    public struct Limits: Sendable {
        public var maxBytes: Int
        public var maxDepth: Int
        /// Nodes after expanding aliases: what a consumer of the parsed value would have to walk.
        public var maxNodes: Int

        public init(maxBytes: Int, maxDepth: Int = 64, maxNodes: Int = 100_000) {
            self.maxBytes = maxBytes; self.maxDepth = maxDepth; self.maxNodes = maxNodes
        }

        /// Pointers are a handful of lines; 1 MiB leaves room for long descriptions.
        public static let pointer = Limits(maxBytes: 1 << 20)
        public static let config = Limits(maxBytes: 1 << 20)
    }

    /// The bytes of `path` (printed as `display`), or nil when nothing is there. Only a regular file is read: a
    /// symlink, FIFO, device or directory is refused without blocking (O_NOFOLLOW | O_NONBLOCK, then fstat).
    public static func readRegularFile(_ path: String, display: String, limits: Limits) throws -> [UInt8]? {
        let name = Paths.quoted(display)
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            if code == ELOOP { throw CairnError("\(name): is a symbolic link; cairn reads only regular files here") }
            throw CairnError("\(name): cannot open (\(String(cString: strerror(code))))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw CairnError("\(name): cannot stat (\(String(cString: strerror(errno))))") }
        guard st.st_mode & S_IFMT == S_IFREG else {
            throw CairnError("\(name): is \(kindName(st.st_mode)), not a regular file; cairn reads only regular files here")
        }
        guard Int(st.st_size) <= limits.maxBytes else {
            throw CairnError("\(name): \(st.st_size) bytes is over the limit of \(limits.maxBytes) bytes for this file")
        }
        // Read one byte more than allowed, in case the file grows between fstat and read.
        var bytes = [UInt8](repeating: 0, count: limits.maxBytes + 1)
        let count = try bytes.withUnsafeMutableBytes { try FS.readFully(fd, into: $0, path: path) }
        guard count <= limits.maxBytes else {
            throw CairnError("\(name): over the limit of \(limits.maxBytes) bytes for this file")
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// `readRegularFile` for text: bytes that are not UTF-8 are refused (naming the line) rather than replaced,
    /// so a file cairn rewrites (config edits) never loses bytes it did not mean to change.
    public static func readText(_ path: String, display: String, limits: Limits) throws -> String? {
        guard let bytes = try readRegularFile(path, display: display, limits: limits) else { return nil }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var parser = Unicode.UTF8.ForwardParser(), input = bytes.makeIterator(), offset = 0
        scan: while true {
            switch parser.parseScalar(from: &input) {
            case .valid(let encoded): offset += encoded.count
            case .error, .emptyInput: break scan
            }
        }
        let line = 1 + bytes[..<offset].lazy.filter { $0 == 10 }.count
        throw CairnError("\(Paths.quoted(display)): not UTF-8 text (line \(line)); cairn reads and rewrites this file only as UTF-8")
    }

    /// Parses YAML within `limits`: nesting is bounded before Yams sees the text (its composer recurses and crashes
    /// on deep input), then the composed node tree is walked for depth, alias expansion and non-scalar mapping
    /// keys (which make Yams trap) before any value is constructed.
    /// `file` is printed as given (callers pass a name already made printable with `Paths.quoted`).
    public static func parseYAML(_ text: String, file: String, limits: Limits) throws -> Any? {
        let name = file
        let bound = nestingBound(text)
        guard bound <= hardNestingBound else {
            throw CairnError("\(name): nested deeper than the limit of \(limits.maxDepth) levels")
        }
        // Yams composes recursively: a shallow file is parsed where we are (possibly a 512 KiB worker stack);
        // anything that might be deep gets a thread with a stack big enough for `hardNestingBound` levels.
        if bound <= inlineNestingBound { return try compose(text, name: name, limits: limits) }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do { outcome.value = try compose(text, name: name, limits: limits) } catch { outcome.error = error }
            done.signal()
        }
        thread.stackSize = 256 << 20
        thread.start()
        done.wait()
        if let error = outcome.error { throw error }
        return outcome.value
    }

    /// Written by the parsing thread before it signals, read after the wait: never accessed concurrently.
    private final class Outcome: @unchecked Sendable { var value: Any?; var error: Error? }

    /// Above this conservative bound a file is refused unparsed; below `inlineNestingBound` it is parsed in place.
    static let hardNestingBound = 10_000
    static let inlineNestingBound = 48

    private static func compose(_ text: String, name: String, limits: Limits) throws -> Any? {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            let first = String(describing: error).split(separator: "\n").first.map(String.init) ?? ""
            throw CairnError("\(name): not valid YAML (\(Paths.quoted(first)))")
        }
        guard let node else { return nil }
        var budget = limits.maxNodes
        try check(node, depth: 1, budget: &budget, name: name, limits: limits)
        return node.any
    }

    /// An upper bound of the YAML nesting depth that never underestimates, from bytes alone: block nesting on a
    /// line needs indentation or an indicator character (`-`, `?`, `:`), flow nesting a bracket; quotes are ignored,
    /// so brackets inside strings only make the bound looser.
    static func nestingBound(_ text: String) -> Int {
        var flowOpens = 0, widestLine = 0, line = 0, inIndent = true
        for byte in text.utf8 {
            switch byte {
            case 10: widestLine = max(widestLine, line); line = 0; inIndent = true; continue
            case 32 where inIndent: line += 1; continue
            case 91, 123: flowOpens += 1                 // [ {
            case 45, 63, 58: line += 1                   // - ? :
            default: break
            }
            inIndent = false
        }
        return max(widestLine, line) + flowOpens + 1
    }

    private static func check(_ node: Node, depth: Int, budget: inout Int, name: String, limits: Limits) throws {
        budget -= 1
        guard budget >= 0 else {
            throw CairnError("\(name): more than the limit of \(limits.maxNodes) YAML nodes (counting each use of an alias)")
        }
        guard depth <= limits.maxDepth else {
            throw CairnError("\(name): nested deeper than the limit of \(limits.maxDepth) levels")
        }
        switch node {
        case .scalar: return
        case .sequence(let sequence):
            for child in sequence { try check(child, depth: depth + 1, budget: &budget, name: name, limits: limits) }
        case .mapping(let mapping):
            for (key, value) in mapping {
                guard case .scalar = key else {
                    throw CairnError("\(name): a mapping key is a list or mapping, which cairn does not accept (line \(key.mark.map { String($0.line) } ?? "?"))")
                }
                try check(value, depth: depth + 1, budget: &budget, name: name, limits: limits)
            }
            budget -= mapping.count
        }
    }

    private static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a FIFO"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFDIR: return "a directory"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }
}
