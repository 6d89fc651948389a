import Basics
import Sync
import Workspace
import GitBridge

/// The pre-push hook: before Git sends commits, send the data their pointers and lock files name (except outputs
/// marked `push: false`) to the default remote, so nobody can fetch a commit whose data is not on the team's
/// storage. Every commit of each pushed range counts,
/// not only the tips (as git-lfs does): a teammate who checks out `HEAD~1` finds its data too. Like git-lfs, a
/// failed data push stops the Git push (exit 1); `git push --no-verify` skips the hook. Data that is nowhere
/// (neither in the cache nor on the remote) only gets a warning: refusing the push cannot bring it back.
enum PrePushHook {
    /// `arguments` are Git's: the remote's name (or URL, when the push names none) and its URL. `input` is what
    /// Git writes on the hook's stdin: one line per ref, "<local ref> <local sha> <remote ref> <remote sha>".
    static func run(arguments: [String], input: String, cwd: String, say: (String) -> Void) throws -> Int32 {
        let git = try GitRepository.discover(startingAt: cwd)
        guard FS.isDirectory(Paths.join(git.workdir, CairnRepository.directoryName)) else { return 0 }
        let commits = try pushedCommits(input: input, remote: arguments.first, git: git)
        if commits.isEmpty { return 0 }
        let repo = try CairnRepository.open(cwd: git.workdir, lockMode: .shared)
        guard RemoteConfiguration.defaultName(config: repo.config) != nil else {
            say("cairn: pre-push: no default remote, so no data is pushed "
                + "(set one with `cairn remote add -d NAME URL`, or `cairn remote default NAME`)")
            return 0
        }
        do {
            let configured = try RemoteConfiguration.remote(named: nil, config: repo.config)
            let remote = try RemoteOpener.open(configured)
            let pointers = try GarbageCollector.commitPointers(repo: repo, scope: .init(revisions: commits),
                                                                  pushableOnly: true)
            let targets = pointers.map { TransferTarget(label: $0.label, id: $0.id) }
            let result = try PushOperation.run(repo: repo, remote: remote, targets: targets,
                                               jobs: RemoteOpener.jobs(configured, override: nil))
            if result.objectsSent > 0 {
                say("cairn: pre-push: pushed \(Counted.of(result.objectsSent, "object")) (\(Progress.human(Int64(result.bytesSent)))) "
                    + "to '\(configured.name)'")
            }
            if !result.missingEverywhere.isEmpty {
                // Refusing would not bring the data back (typically `cairn gc` dropped old versions that were
                // never pushed): say what teammates will miss, and let Git push the commits.
                say("cairn: pre-push: warning: data of the pushed commits is neither in the local cache nor on "
                    + "'\(configured.name)', so nobody can get it from there:")
                for label in result.missingEverywhere.prefix(20) { say("    " + label) }
                if result.missingEverywhere.count > 20 { say("    ... and \(result.missingEverywhere.count - 20) more") }
                say("the Git push goes on; `cairn status --remote --rev COMMIT` lists what a commit lacks, and "
                    + "`cairn push --rev COMMIT` in a clone that still has the data sends it")
            }
            return 0
        } catch {
            say("cairn: pre-push: refusing the push: the data could not be pushed: \(error)")
            say("fix the above and push again, or push without the data with `git push --no-verify`")
            return 1
        }
    }

    /// The commits whose data the push must send: for each updated ref, those reachable from the local sha and
    /// not from the remote's old sha; for a new ref (old sha all zeros), those not reachable from what this
    /// repository last saw on the remote (`refs/remotes/<remote>/*`). Commits already on the remote are left
    /// out in both cases: their data went with them (or the push that sent them skipped it on purpose).
    static func pushedCommits(input: String, remote: String?, git: GitRepository) throws -> [String] {
        let onRemote = try remote.map { try git.remoteTrackingCommits(remote: $0) } ?? []
        var commits = Set<String>()
        for line in input.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            // A deleted ref has an all-zero local sha: nothing to send for it.
            guard fields.count >= 4, !isZero(fields[1]) else { continue }
            // Git only pushes objects it has, so a local sha that names no commit is a tag of a tree or a blob:
            // it carries no pointers.
            guard let tip = try? git.resolve(fields[1]) else { continue }
            let hidden = (isZero(fields[3]) ? [] : [fields[3]]) + onRemote
            // The remote's old sha may be unknown here (someone else pushed it; a forced push replaces it).
            commits.formUnion(try git.commits(reachableFrom: [tip.sha], notReachableFrom: hidden,
                                              ignoringUnknownHidden: true))
        }
        return commits.sorted()
    }

    private static func isZero(_ sha: String) -> Bool { !sha.contains(where: { $0 != "0" }) }
}
