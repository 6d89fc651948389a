import Basics
import Sync
import Workspace
import GitBridge

/// The pre-push hook: before Git sends commits, send the data their pointers name to the default remote, so
/// nobody can fetch a commit whose data is not on the team's storage. Like git-lfs, a failed data push stops
/// the Git push (exit 1); `git push --no-verify` skips the hook.
enum PrePushHook {
    /// `input` is what Git writes on the hook's stdin: one line per ref,
    /// "<local ref> <local sha> <remote ref> <remote sha>".
    static func run(input: String, cwd: String, say: (String) -> Void) throws -> Int32 {
        let git = try GitRepository.discover(startingAt: cwd)
        guard FS.isDirectory(Paths.join(git.workdir, CairnRepository.directoryName)) else { return 0 }
        var commits: [String] = []
        for line in input.split(separator: "\n") {
            let fields = line.split(separator: " ")
            // A deleted ref has an all-zero local sha: nothing to send for it.
            guard fields.count >= 4, fields[1].contains(where: { $0 != "0" }) else { continue }
            commits.append(String(fields[1]))
        }
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
            let pointers = try GarbageCollector.commitPointers(repo: repo, scope: .init(revisions: commits))
            let targets = pointers.map { TransferTarget(label: $0.label, id: $0.id) }
            let result = try PushOperation.run(repo: repo, remote: remote, targets: targets,
                                               jobs: RemoteOpener.jobs(configured, override: nil))
            if result.objectsSent > 0 {
                say("cairn: pre-push: pushed \(Counted.of(result.objectsSent, "object")) (\(Progress.human(Int64(result.bytesSent)))) "
                    + "to '\(configured.name)'")
            }
            guard result.missingLocally.isEmpty else {
                say("cairn: pre-push: refusing the push: data of the pushed commits is not in the local cache, "
                    + "so it cannot be sent to '\(configured.name)':")
                for label in result.missingLocally.prefix(20) { say("    " + label) }
                say("fetch it (`cairn fetch --rev COMMIT`), or push anyway with `git push --no-verify`")
                return 1
            }
            return 0
        } catch {
            say("cairn: pre-push: refusing the push: the data could not be pushed: \(error)")
            say("fix the above and push again, or push without the data with `git push --no-verify`")
            return 1
        }
    }
}
