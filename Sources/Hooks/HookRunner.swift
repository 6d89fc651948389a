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
            // Git passes the HEAD it left: its pointers say what data the switch stops tracking.
            return updateData(after: name, previous: arguments[0], git: git, say: say)
        case "post-rewrite":
            // "rebase" when a rebase has finished; "amend" changes no files. ORIG_HEAD is where it started.
            guard arguments.first == "rebase" else { return 0 }
            return updateData(after: name, previous: "ORIG_HEAD", git: git, say: say)
        case "post-merge":
            guard git.state != .rebase else { return 0 }
            // A merge (or a fast-forward pull) sets ORIG_HEAD to the HEAD before it.
            return updateData(after: name, previous: "ORIG_HEAD", git: git, say: say)
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
            say("cairn: pre-commit: refusing the commit: the pointers being committed do not match their data")
            for problem in problems { say("    " + problem) }
            say("fix the above, or commit anyway with `git commit --no-verify`")
            return 1
        }
    }

    /// Makes the data match the pointers now in the work tree (which Git just changed), never clobbering,
    /// and removes the data of `previous` (the commit Git left) that is no longer tracked (`LeftBehindData`).
    static func updateData(after name: String, previous: String, git: GitRepository, say: (String) -> Void) -> Int32 {
        let repo: CairnRepository
        do { repo = try CairnRepository.open(cwd: git.workdir, lockMode: .exclusive) } catch {
            say("cairn: \(name): the data was NOT updated to match the new pointers: \(error)")
            return 0
        }
        do {
            let result = try CheckoutOperation.run(repo: repo, arguments: [], cwd: repo.root, force: false)
            if !result.changedTargets.isEmpty {
                say("cairn: \(name): updated \(Counted.of(result.changedTargets.count, "tracked path")): "
                    + result.changedTargets.joined(separator: ", "))
            }
        } catch {
            say("cairn: \(name): the data was NOT updated to match the new pointers: \(error)")
            // Data missing from the cache is fetched by pull (which checks it out too); anything else is a
            // local change in the way, which checkout reports again with its own hint.
            let missing = (try? TargetResolver.trackedTargets([], cwd: repo.root, root: repo.root)
                .contains { (try? PreCommitCheck.missingObject($0, repo: repo)) != .some(nil) }) ?? false
            say("cairn: \(name): Git's own operation succeeded; fix the above, then run "
                + (missing ? "`cairn pull`" : "`cairn checkout`"))
        }
        do {
            let left = try LeftBehindData.clean(repo: repo, previous: LeftBehindData.pointers(at: previous, repo: repo),
                                                warn: { say("cairn: \(name): warning: " + $0) })
            if !left.removed.isEmpty {
                say("cairn: \(name): removed \(Counted.of(left.removed.count, "path")) no longer tracked "
                    + "(the data is in the cache): " + left.removed.joined(separator: ", "))
            }
        } catch {
            // After a switch, a plain `cairn checkout` finds the previous HEAD in the reflog (LeftBehindData).
            say("cairn: \(name): could not remove data no longer tracked: \(error)"
                + (name == "post-checkout" ? "; fix it, then `cairn checkout` tries again" : ""))
        }
        return 0
    }
}
