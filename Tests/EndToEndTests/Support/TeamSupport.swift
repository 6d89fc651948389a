import Foundation
import XCTest

/// Two clones and a bare Git origin with a folder data remote, for the team cases of issue 8 (items 3, 5, 7).
extension EndToEndTestCase {
    /// A repository whose default data remote is a folder (the setting committed in .cairn/config) and whose
    /// Git remote `origin` is a bare repository; both folders sit next to the work tree, in its temp base.
    func teamOrigin(hooks: Bool = false) throws -> (repo: TempRepo, bare: String) {
        let repo = try makeRepo()
        let dataRemote = repo.base + "/data-remote", bare = repo.base + "/origin.git"
        try FileManager.default.createDirectory(atPath: dataRemote, withIntermediateDirectories: true)
        try repo.cairn("remote", "add", "-d", "origin", dataRemote).assertSuccess()
        try repo.git("init", "-q", "--bare", bare).assertSuccess()
        try repo.git("remote", "add", "origin", bare).assertSuccess()
        if hooks { try repo.cairn("install-hooks").assertSuccess() }
        return (repo, bare)
    }

    /// A fresh clone of `bare`'s `branch`: pointers only, no data (in its own temp base).
    func cloneOf(_ bare: String, branch: String = "main") throws -> TempRepo {
        let copy = try makeRepo(initialized: false, git: false)
        try FileManager.default.removeItem(atPath: copy.root)
        try copy.git("clone", "-q", "-b", branch, bare, copy.root, cwd: copy.base).assertSuccess()
        try copy.git("config", "user.name", "teammate").assertSuccess()
        try copy.git("config", "user.email", "teammate@example.invalid").assertSuccess()
        return copy
    }
}
