import Basics
import CGit2

/// Reading the committed tree: files at a commit, and which of them a commit changed. All `commitSha`
/// parameters also accept any revision (`resolve` syntax); full shas are the fast path.
extension GitRepository {
    /// The content of the file at `path` in `commitSha`'s tree; nil when there is no file there (absent, or
    /// a directory or submodule). A symlink's content is its target, as Git stores it.
    public func readFile(at commitSha: String, path: String) throws -> [UInt8]? {
        try readFile(at: commitSha, path: path, limit: nil)
    }

    /// A blob over the limit given to `readFile(at:path:maxBytes:)`: its size, read from the object header.
    public struct BlobTooLarge: Error, Sendable {
        public let size: Int
    }

    /// As `readFile(at:path:)`, but a blob larger than `maxBytes` is not read: its size comes from the object
    /// database's header (for a loose object, the zlib header; for a packed one, the pack entry), and
    /// `BlobTooLarge` is thrown. A hostile commit can hold a multi-gigabyte "metrics.json".
    public func readFile(at commitSha: String, path: String, maxBytes: Int) throws -> [UInt8]? {
        try readFile(at: commitSha, path: path, limit: maxBytes)
    }

    private func readFile(at commitSha: String, path: String, limit: Int?) throws -> [UInt8]? {
        try lock.withLock {
            try withCommit(commitSha) { commit in
                guard var oid = try blobOID(at: path, in: commit) else { return nil }
                let subject = "\(workdir): \(GitRepository.normalized(path)) at \(commitSha)"
                if let limit {
                    var odb: OpaquePointer?
                    try GitError.check(git_repository_odb(&odb, handle), "git_repository_odb", subject: subject)
                    defer { git_odb_free(odb) }
                    var size = 0
                    var type = GIT_OBJECT_BLOB
                    try GitError.check(git_odb_read_header(&size, &type, odb, &oid), "git_odb_read_header", subject: subject)
                    if size > limit { throw BlobTooLarge(size: size) }
                }
                var found: OpaquePointer?
                try GitError.check(git_blob_lookup(&found, handle, &oid), "git_blob_lookup", subject: subject)
                guard let blob = found else { throw CairnError.bug("git_blob_lookup returned no blob") }
                defer { git_blob_free(blob) }
                let size = Int(git_blob_rawsize(blob))
                guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
                return Array(UnsafeRawBufferPointer(start: raw, count: size))
            }
        }
    }

    /// The Git blob id (40 hex) of the file at `path` in `commitSha`; nil when there is no file there.
    /// Equal ids mean equal content, so this answers "did it change?" without reading anything.
    public func blobID(at commitSha: String, path: String) throws -> String? {
        try lock.withLock {
            try withCommit(commitSha) { commit in
                guard var oid = try blobOID(at: path, in: commit) else { return nil }
                return GitOID.hex(&oid)
            }
        }
    }

    /// Every file in `commitSha`'s tree whose name ends with `suffix` (e.g. ".cairn"), with its blob id,
    /// sorted by path. Submodules and directories are not files and are never listed.
    public func files(at commitSha: String, withSuffix suffix: String) throws -> [(path: String, blob: String)] {
        try lock.withLock {
            try withCommit(commitSha) { commit in
                try withTree(of: commit) { tree in
                    var found: [(path: String, blob: String)] = []
                    try collectFiles(in: tree, prefix: "", suffix: suffix, into: &found)
                    return found.sorted { $0.path < $1.path }
                }
            }
        }
    }

    /// The files whose name ends with `suffix` in the trees of all `commitShas`, each listed once: with the first
    /// commit (in the order given) whose tree holds it. A subtree already read for an earlier commit is not read
    /// again, so a long history costs about what its commits changed, not commits × tree size (a pre-push of a
    /// new branch, `gc --all-commits`).
    public func files(inCommits commitShas: [String], withSuffix suffix: String)
        throws -> [(commit: String, path: String, blob: String)] {
        try lock.withLock {
            var seenTrees = Set<String>()
            var found: [(commit: String, path: String, blob: String)] = []
            for sha in commitShas {
                try withCommit(sha) { commit in
                    try withTree(of: commit) { tree in
                        guard seenTrees.insert(GitOID.hex(git_tree_id(tree))).inserted else { return }
                        var files: [(path: String, blob: String)] = []
                        try collectFiles(in: tree, prefix: "", suffix: suffix, into: &files,
                                         readTrees: &seenTrees, skipRead: true)
                        found += files.sorted { $0.path < $1.path }.map { (sha, $0.path, $0.blob) }
                    }
                }
            }
            return found
        }
    }

    /// Depth-first over `tree`. Hand-written rather than git_tree_walk so that no C callback has to carry
    /// Swift state and each subtree is freed as soon as it has been read.
    private func collectFiles(in tree: OpaquePointer, prefix: String, suffix: String,
                              into found: inout [(path: String, blob: String)]) throws {
        var unused = Set<String>()
        try collectFiles(in: tree, prefix: prefix, suffix: suffix, into: &found, readTrees: &unused, skipRead: false)
    }

    /// With `skipRead`, subtrees whose id is in `readTrees` are left out, and those read are added to it.
    private func collectFiles(in tree: OpaquePointer, prefix: String, suffix: String,
                              into found: inout [(path: String, blob: String)],
                              readTrees: inout Set<String>, skipRead: Bool) throws {
        let count = git_tree_entrycount(tree)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, index), let rawName = git_tree_entry_name(entry) else {
                continue
            }
            let name = String(cString: rawName)
            let path = prefix.isEmpty ? name : prefix + "/" + name
            switch git_tree_entry_type(entry) {
            case GIT_OBJECT_BLOB:
                if name.hasSuffix(suffix) { found.append((path, GitOID.hex(git_tree_entry_id(entry)))) }
            case GIT_OBJECT_TREE:
                if skipRead, !readTrees.insert(GitOID.hex(git_tree_entry_id(entry))).inserted { continue }
                var subtree: OpaquePointer?
                try GitError.check(git_tree_lookup(&subtree, handle, git_tree_entry_id(entry)), "git_tree_lookup",
                                   subject: "\(workdir): \(path)/")
                guard let subtree else { throw CairnError.bug("git_tree_lookup returned no tree") }
                defer { git_tree_free(subtree) }
                try collectFiles(in: subtree, prefix: path, suffix: suffix, into: &found,
                                 readTrees: &readTrees, skipRead: skipRead)
            default:
                continue   // a submodule's commit: another repository's business
            }
        }
    }

    /// Paths ending with `suffix` that differ between `commitSha` and its first parent (added, modified,
    /// deleted, or a rename's old and new path), sorted; for a root commit, all of them. The history indexer
    /// reads only these pointer files, so indexing a commit costs what it changed, not the size of its tree.
    public func changedFiles(in commitSha: String, withSuffix suffix: String) throws -> [String] {
        try lock.withLock {
            try withCommit(commitSha) { commit in
                try withTree(of: commit) { tree in
                    try withFirstParent(of: commit) { parent in
                        if let parent {
                            return try withTree(of: parent) { parentTree in
                                try changedPaths(from: parentTree, to: tree, suffix: suffix, commitSha: commitSha)
                            }
                        }
                        return try changedPaths(from: nil, to: tree, suffix: suffix, commitSha: commitSha)
                    }
                }
            }
        }
    }

    /// git_diff_tree_to_tree skips identical subtrees by id, so unchanged directories cost nothing.
    private func changedPaths(from old: OpaquePointer?, to new: OpaquePointer, suffix: String,
                              commitSha: String) throws -> [String] {
        var options = git_diff_options()
        try GitError.check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init",
                           subject: workdir)
        var created: OpaquePointer?
        try GitError.check(git_diff_tree_to_tree(&created, handle, old, new, &options), "git_diff_tree_to_tree",
                           subject: "\(workdir): commit \(commitSha)")
        guard let diff = created else { throw CairnError.bug("git_diff_tree_to_tree returned no diff") }
        defer { git_diff_free(diff) }
        var paths = Set<String>()
        for index in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, index) else { continue }
            for raw in [delta.pointee.old_file.path, delta.pointee.new_file.path] {
                guard let raw else { continue }
                let path = String(cString: raw)
                if path.hasSuffix(suffix) { paths.insert(path) }
            }
        }
        return paths.sorted()
    }
}
