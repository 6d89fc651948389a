import Foundation
import XCTest

/// What the push/pull tests of every remote kind share.
extension EndToEndTestCase {
    /// A Git clone of `repo` in a new temp folder: the pointers and the remote settings, no data.
    func gitClone(_ repo: TempRepo) throws -> TempRepo {
        let copy = try makeRepo(initialized: false, git: false)
        try FileManager.default.removeItem(atPath: copy.root)
        try repo.git("clone", "-q", repo.root, copy.root).assertSuccess()
        return copy
    }
}

extension TempRepo {
    /// `git add -A && git commit`, asserted to succeed.
    func commitEverything(_ message: String = "data") throws {
        try git("add", "-A").assertSuccess()
        try git("commit", "-qm", message).assertSuccess()
    }
}

/// The pack files under a remote folder's `packs/`, relative to it, sorted (folder and SSH remotes are on this
/// machine's file system, so tests can look at and damage what was pushed).
func remotePackFiles(_ folder: String) -> [String] {
    let all = FileManager.default.enumerator(atPath: folder + "/packs")?.allObjects as? [String] ?? []
    return all.filter { $0.hasSuffix(".pack") }.sorted()
}
