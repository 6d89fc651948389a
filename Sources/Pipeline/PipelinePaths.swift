import Basics

/// Paths written in cairn.yaml and params/vars entries: relative to a directory of the repository, normalised
/// lexically (`src/../data` is `data`, as DVC allows), and refused when they would leave the repository or
/// reach into `.git` or `.cairn`.
enum PipelinePaths {
    /// The repo-relative path `written` names when read in the repo-relative `directory`.
    static func resolve(_ written: String, in directory: String, at location: SourceLocation) throws -> String {
        if written.isEmpty { throw location.error("empty path") }
        if written.contains("://") || written.hasPrefix("remote:") {
            throw location.error("'\(written)': external dependencies and outputs (URLs) are not supported; add the data with 'cairn add' instead")
        }
        if written.hasPrefix("/") || written.hasPrefix("~") {
            throw location.error("'\(written)': absolute paths are not allowed; write paths relative to the cairn.yaml directory")
        }
        if written.utf8.contains(0) { throw location.error("path contains a NUL byte") }
        var parts: [Substring] = directory.isEmpty ? [] : directory.split(separator: "/")
        for part in written.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !parts.isEmpty else { throw location.error("'\(written)' goes outside the repository") }
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        let rel = parts.joined(separator: "/")
        if let first = parts.first, first == ".git" || first == ".cairn" {
            throw location.error("'\(written)' is inside \(first)/, which \(first == ".git" ? "Git" : "cairn") manages")
        }
        if parts.contains(".git") { throw location.error("'\(written)' is inside a .git directory") }
        if !rel.isEmpty, let reason = Paths.unsafeReason(rel) { throw location.error(reason) }
        return rel
    }

    /// Like `resolve`, but the repository root itself is refused (a dep or out must name something in it).
    static func resolveEntry(_ written: String, in directory: String, at location: SourceLocation) throws -> PipelinePath {
        let rel = try resolve(written, in: directory, at: location)
        if rel.isEmpty { throw location.error("'\(written)' names the repository root; name a file or directory inside it") }
        return PipelinePath(written: written, repoPath: rel)
    }
}
