import Basics
import Foundation
import XCTest

/// Histories built with the real `git` for the revision, tree and history tests.
extension GitFixture {
    /// Writes `files` (nil content deletes), stages everything and commits at a fixed, increasing time so that
    /// time-ordered walks are deterministic. Returns the new commit's sha.
    @discardableResult
    func commit(_ message: String, _ files: [String: String?] = [:], at time: Int, in directory: String = "repo")
        throws -> String {
        for (relative, content) in files {
            if let content {
                try write(Paths.join(directory, relative), content)
            } else {
                try git(["rm", "-q", relative], in: directory)
            }
        }
        try git(["add", "-A"], in: directory)
        try git(["commit", "-q", "--allow-empty", "-m", message], in: directory, environment: dates(time))
        return try sha("HEAD", in: directory)
    }

    /// GIT_AUTHOR_DATE / GIT_COMMITTER_DATE for `time` seconds since the epoch, in +0200.
    func dates(_ time: Int) -> [String: String] {
        ["GIT_AUTHOR_DATE": "@\(time) +0200", "GIT_COMMITTER_DATE": "@\(time) +0200"]
    }

    func sha(_ revision: String, in directory: String = "repo") throws -> String {
        try git(["rev-parse", "--verify", "-q", revision + "^{commit}"], in: directory)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Output lines of a git command, without empty ones.
    func lines(_ arguments: [String], in directory: String = "repo") throws -> [String] {
        try git(arguments, in: directory).split(separator: "\n").map(String.init)
    }

    /// A linear history of `count` commits on `main`, made in one `git fast-import` run (thousands per
    /// second). Commit i (from 1) sets `data/model.cairn` when i is a multiple of `every`, and `notes.txt`
    /// otherwise; times are 1_700_000_000 + i.
    func importLinearHistory(count: Int, modelEvery every: Int, in directory: String = "repo") throws {
        var stream = ""
        for index in 1...count {
            let message = "commit \(index)"
            let (path, content) = index % every == 0
                ? ("data/model.cairn", "oid sha256:\(index)\n") : ("notes.txt", "note \(index)\n")
            stream += "commit refs/heads/main\nmark :\(index)\n"
            stream += "author A U Thor <author@example.com> \(1_700_000_000 + index) +0000\n"
            stream += "committer A U Thor <author@example.com> \(1_700_000_000 + index) +0000\n"
            stream += "data \(message.utf8.count)\n\(message)\n"
            if index > 1 { stream += "from :\(index - 1)\n" }
            stream += "M 100644 inline \(path)\ndata \(content.utf8.count)\n\(content)\n"
        }
        let streamFile = path("fast-import-stream")
        try FS.writeAtomically(streamFile, stream)
        try git(["fast-import", "--quiet"], in: directory, inputFile: streamFile)
        try git(["reset", "-q", "--hard", "main"], in: directory)
    }
}
