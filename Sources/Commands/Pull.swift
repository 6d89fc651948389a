import ArgumentParser
import Basics
import Pipeline
import Sync
import Workspace

struct Pull: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch tracked data from a remote and check it out (fetch + checkout).",
        discussion: "Only verified content is written: every object is checked by its hash as it arrives, and a "
            + "large file's content is hashed again as it is written, before it replaces anything.")

    @OptionGroup var options: TransferOptions

    @Flag(name: .shortAndLong, help: "Overwrite or delete local changes that are not in the cache.")
    var force = false

    @Flag(help: "Also receive the remote's run-cache entries and the outputs they name.")
    var runCache = false

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .exclusive)
        let selection = try options.select(repo, cwd: context.cwd)
        let (configured, remote, jobs) = try options.openRemote(repo)
        if runCache {
            Terminal.stdout(try RunCacheTransfer.fetch(repo: repo, remote: remote, entries: RunCache(repo: repo), jobs: jobs, objects: true).summary)
        }
        let result = try PullOperation.run(repo: repo, remote: remote, selection: selection, jobs: jobs, force: force) {
            try FetchCommandSupport.report($0, remoteName: configured.name, statusCommand: options.statusCommand,
                                          root: repo.root)
        }
        for target in result.changedTargets { Terminal.stdout("restored \(target)") }
        var summary = "\(Display.count(result.filesWritten, "file")) written, \(result.filesUnchanged) unchanged"
        if result.filesRemoved > 0 { summary += ", \(result.filesRemoved) removed" }
        Terminal.stdout(summary)
    }
}
