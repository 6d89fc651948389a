import Basics
import CGit2

extension GitRepository {
    /// The content of `relativePath` as staged in Git's index (stage 0), or nil when it is not staged.
    /// The pre-commit hook reads pointers from here: after a partial `git add -p` the staged copy, not the
    /// work tree's, is what the commit records.
    public func stagedFile(_ relativePath: String) throws -> [UInt8]? {
        let path = GitRepository.normalized(relativePath)
        return try withCurrentIndex { index in
            guard let entry = git_index_get_bypath(index, path, 0) else { return nil }
            var oid = entry.pointee.id
            var found: OpaquePointer?
            try GitError.check(git_blob_lookup(&found, handle, &oid), "git_blob_lookup", subject: Paths.join(workdir, path))
            guard let blob = found else { throw CairnError.bug("git_blob_lookup returned no blob") }
            defer { git_blob_free(blob) }
            let size = Int(git_blob_rawsize(blob))
            guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
            return Array(UnsafeRawBufferPointer(start: raw, count: size))
        }
    }
}
