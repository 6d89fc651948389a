import Basics
import CGit2

/// Plain references outside branches and tags: experiments live under `refs/exps/` (as in DVC), where neither
/// `git branch` nor `git log --all`'s usual views show them, but `git gc` keeps what they name.
extension GitRepository {
    /// Every reference whose full name starts with `prefix` (e.g. "refs/exps/"), with the commit it names, sorted
    /// by name. References that name no commit are left out.
    public func references(withPrefix prefix: String) throws -> [(name: String, sha: String)] {
        try lock.withLock {
            try referenceNames().filter { $0.hasPrefix(prefix) }.sorted().compactMap { name in
                try peeledCommit(ofReference: name).map { (name, $0) }
            }
        }
    }

    /// Points the reference `name` at commit `sha`. Without `force` an existing reference is an error naming it.
    public func setReference(_ name: String, to sha: String, force: Bool, logMessage: String) throws {
        try lock.withLock {
            guard var oid = GitOID.parse(sha) else { throw CairnError("'\(sha)' is not a full commit id") }
            var created: OpaquePointer?
            let code = git_reference_create(&created, handle, name, &oid, force ? 1 : 0, logMessage)
            if code == GIT_EEXISTS.rawValue { throw CairnError("\(name) already exists") }
            try GitError.check(code, "git_reference_create", subject: "\(commonGitDir): \(name)")
            git_reference_free(created)
        }
    }

    /// Deletes the reference `name`; false when there was none.
    @discardableResult
    public func deleteReference(_ name: String) throws -> Bool {
        try lock.withLock {
            var found: OpaquePointer?
            let code = git_reference_lookup(&found, handle, name)
            if code == GitError.notFound { return false }
            try GitError.check(code, "git_reference_lookup", subject: "\(commonGitDir): \(name)")
            defer { git_reference_free(found) }
            try GitError.check(git_reference_delete(found), "git_reference_delete", subject: "\(commonGitDir): \(name)")
            return true
        }
    }

    /// True when `name` is a valid full reference name (git check-ref-format rules).
    public static func isValidReferenceName(_ name: String) -> Bool {
        // May be the process's first libgit2 call (validating `-n NAME` before any repository is opened): calling
        // libgit2 before git_libgit2_init leaves its thread-local error state broken for every later call.
        guard (try? GitLibrary.ensureInitialized()) != nil else { return false }
        var valid: Int32 = 0
        return git_reference_name_is_valid(&valid, name) == 0 && valid == 1
    }

    /// The whole message of commit `revision` (subject, body and trailers), as `git log --format=%B` prints it.
    public func message(of revision: String) throws -> String {
        try lock.withLock {
            try withCommit(revision) { commit in git_commit_message(commit).map { String(cString: $0) } ?? "" }
        }
    }
}
