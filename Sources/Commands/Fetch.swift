import ArgumentParser
import Basics
import Pipeline
import Sync
import Workspace

struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Download tracked data from a remote into the cache, without touching the work tree.",
        discussion: "Downloads only what the cache lacks, in parallel; every object is verified by its hash "
            + "before it enters the cache.")

    @OptionGroup var options: TransferOptions

    @Flag(help: "Also receive the remote's run-cache entries (not the outputs they name: `pull --run-cache` does).")
    var runCache = false

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .exclusive)
        let selection = try options.select(repo, cwd: context.cwd)
        if runCache {
            let (_, remote, jobs) = try options.openRemote(repo)
            Terminal.stdout(try RunCacheTransfer.fetch(repo: repo, remote: remote, entries: RunCache(repo: repo), jobs: jobs, objects: false).summary)
        }
        _ = try FetchCommandSupport.fetch(repo: repo, selection: selection, options: options)
    }
}

enum FetchCommandSupport {
    /// Fetches, prints the summary, and fails (exit 1) when data is damaged on the remote or missing everywhere.
    static func fetch(repo: CairnRepository, selection: TransferTargets.Selection,
                      options: TransferOptions) throws -> FetchOperation.Result {
        let (configured, remote, jobs) = try options.openRemote(repo)
        let result = try FetchOperation.run(repo: repo, remote: remote, targets: selection.targets, jobs: jobs)
        try report(result, remoteName: configured.name, statusCommand: options.statusCommand, root: repo.root)
        return result
    }

    /// `statusCommand` is the `cairn status --remote …` that lists what is missing (same remote, scope, paths).
    static func report(_ result: FetchOperation.Result, remoteName: String, statusCommand: String,
                       root: String) throws {
        for line in result.quarantined {
            Terminal.stderr("cairn: warning: " + line.replacingOccurrences(of: root + "/", with: ""))
        }
        if result.objectsFetched == 0 && result.damaged.isEmpty {
            if result.missing.isEmpty { Terminal.stdout("Everything is up to date.") }
        } else {
            Terminal.stdout("fetched \(Display.count(result.objectsFetched, "object")) "
                            + "(\(Progress.human(Int64(result.bytesFetched)))) from '\(remoteName)'")
        }
        if let first = result.damaged.first {
            throw CairnError(result.damaged.count == 1 ? first
                             : "\(Display.count(result.damaged.count, "object")) on '\(remoteName)' fail verification (first: \(first))")
        }
        if let first = result.missing.first {
            throw CairnError("\(Display.count(result.missing.count, "target")) not available on '\(remoteName)' "
                             + "(first: \(first)); push it from a clone that has it, `\(statusCommand)` lists them")
        }
    }
}
