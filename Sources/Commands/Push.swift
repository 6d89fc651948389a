import ArgumentParser
import Basics
import Pipeline
import Sync
import Workspace

struct Push: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Upload tracked data that the remote does not have yet.",
        discussion: "Sends only the objects the remote lacks, packed and in parallel; every object is verified "
            + "before it is sent. An interrupted push is completed by running it again.")

    @OptionGroup var options: TransferOptions

    @Flag(help: "Also send run-cache entries the remote lacks, with the outputs they name.")
    var runCache = false

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .shared)
        let selection = try options.select(repo, cwd: context.cwd)
        let (configured, remote, jobs) = try options.openRemote(repo)
        let result = try PushOperation.run(repo: repo, remote: remote, targets: selection.targets, jobs: jobs)
        if result.objectsSent == 0 {
            // Not "up to date" when some data could not be sent: the error below says what is left out.
            if result.missingEverywhere.isEmpty { Terminal.stdout("Everything is up to date on '\(configured.name)'.") }
        } else {
            Terminal.stdout("pushed \(Display.count(result.objectsSent, "object")) in "
                            + "\(Display.count(result.packsSent, "pack")) (\(Progress.human(Int64(result.bytesSent)))) "
                            + "to '\(configured.name)'")
        }
        if runCache {
            Terminal.stdout(try RunCacheTransfer.push(repo: repo, remote: remote, entries: RunCache(repo: repo), jobs: jobs).summary)
        }
        guard let first = result.missingEverywhere.first else { return }
        // Data that is neither here nor on the remote cannot be sent: name it and fail after sending the rest.
        throw CairnError("\(Display.count(result.missingEverywhere.count, "target")) not pushed: their data is neither "
                         + "in the local cache nor on '\(configured.name)' (first: \(first); "
                         + "`\(options.statusCommand)` lists them)")
    }
}
