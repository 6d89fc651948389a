import Basics

extension GitRepository {
    /// The last move of HEAD when it was a branch switch (`git checkout`/`git switch`, reflog message
    /// "checkout: moving from A to B") that left HEAD where it is now; nil otherwise (a commit, reset, merge
    /// or no reflog since). A plain `cairn checkout` after a switch made without hooks learns from it what the
    /// branch it left tracked. Reads this work tree's `logs/HEAD`: one line per move, the newest last.
    public func lastBranchSwitch() throws -> (from: String, to: String)? {
        let log = Paths.join(gitDir, "logs/HEAD")
        guard FS.exists(log) else { return nil }
        guard let last = try FS.readString(log).split(separator: "\n").last else { return nil }
        guard let tab = last.firstIndex(of: "\t"), last[last.index(after: tab)...].hasPrefix("checkout: moving from ")
        else { return nil }
        let fields = last[..<tab].split(separator: " ")
        guard fields.count >= 2 else { return nil }
        let from = String(fields[0]), to = String(fields[1])
        guard let head = try head(), head.sha == to else { return nil }
        return (from, to)
    }
}
