import Basics
import Sync
import Workspace
import GitBridge

/// What `cairn hook NAME ...` does when Git runs one of cairn's hooks. Hooks that run after Git has done
/// its work (post-*) never fail: Git cannot undo the checkout, and a failing hook would only confuse it, so
/// problems are printed with the command that fixes them and the exit code is 0. pre-commit is the one hook
/// that refuses (exit 1); `git commit --no-verify` skips it.
public enum HookRunner {
    /// Runs hook `name` with Git's arguments from `cwd`; returns the exit code. `say` prints a line to stderr
    /// (Git shows hook output to the user).
    /// `input` is what Git wrote on the hook's stdin (pre-push only).
    public static func run(name: String, arguments: [String], cwd: String, input: String = "",
                           say: (String) -> Void = { Diagnostics.line($0) }) throws -> Int32 {
        guard HookScripts.names.contains(name) else {
            throw CairnError("\(name): not a cairn hook (known: \(HookScripts.names.joined(separator: ", ")))")
        }
        if name == "pre-push" { return try PrePushHook.run(arguments: arguments, input: input, cwd: cwd, say: say) }
        // Outside a cairn repository (hooks installed, then .cairn removed), there is nothing to do.
        let git = try GitRepository.discover(startingAt: cwd)
        guard FS.isDirectory(Paths.join(git.workdir, CairnRepository.directoryName)) else { return 0 }
        switch name {
        case "post-checkout":
            // Flag 0 is a file checkout (`git checkout -- FILE`): the user restores files, not branches.
            guard arguments.count >= 3, arguments[2] == "1" else { return 0 }
            // During a rebase git checks out every replayed commit; the data follows once it is done.
            guard git.state != .rebase else { return 0 }
            return updateData(after: name, git: git, say: say)
        case "post-rewrite":
            // "rebase" when a rebase has finished; "amend" changes no files.
            guard arguments.first == "rebase" else { return 0 }
            return updateData(after: name, git: git, say: say)
        case "post-merge":
            guard git.state != .rebase else { return 0 }
            return updateData(after: name, git: git, say: say)
        case "post-commit":
            do {
                let repo = try CairnRepository.open(cwd: git.workdir, lockMode: .exclusive)
                _ = try LineageIndexer.upToDate(repo: repo)
            } catch {
                say("cairn: post-commit: could not index the commit in .cairn/lineage.db (\(error)); "
                    + "the next cairn command that reads lineage will")
            }
            return 0
        default:
            let repo = try CairnRepository.open(cwd: git.workdir, lockMode: .shared)
            let problems = try PreCommitCheck.problems(repo: repo)
            if problems.isEmpty { return 0 }
            say("cairn: pre-commit: refusing the commit: tracked data does not match the pointers being committed")
            for problem in problems { say("    " + problem) }
            say("fix the above, or commit anyway with `git commit --no-verify`")
            return 1
        }
    }

    /// Makes the data match the pointers now in the work tree (which Git just changed), never clobbering.
    static func updateData(after name: String, git: GitRepository, say: (String) -> Void) -> Int32 {
        do {
            let repo = try CairnRepository.open(cwd: git.workdir, lockMode: .exclusive)
            let result = try CheckoutOperation.run(repo: repo, arguments: [], cwd: repo.root, force: false)
            if !result.changedTargets.isEmpty {
                say("cairn: \(name): updated \(result.changedTargets.count) tracked paths: "
                    + result.changedTargets.joined(separator: ", "))
            }
        } catch {
            say("cairn: \(name): the data was NOT updated to match the new pointers: \(error)")
            say("cairn: \(name): Git's own operation succeeded; fix the above, then run `cairn checkout`")
        }
        return 0
    }
}
