import ArgumentParser
import Basics
import Workspace

struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Download tracked data from a remote into the cache, without touching the work tree.",
        discussion: "Downloads only what the cache lacks, in parallel; every object is verified by its hash "
            + "before it enters the cache.")

    @OptionGroup var options: TransferOptions

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .exclusive)
        let selection = try options.select(repo, cwd: context.cwd)
        _ = try FetchCommandSupport.fetch(repo: repo, selection: selection, options: options)
    }
}

enum FetchCommandSupport {
    /// Fetches, prints the summary, and fails (exit 1) when data is damaged on the remote or missing everywhere.
    static func fetch(repo: CairnRepository, selection: TransferTargets.Selection, options: TransferOptions,
                      stageManifests: Bool = false) throws -> FetchOperation.Result {
        let (configured, remote, jobs) = try options.openRemote(repo)
        let result = try FetchOperation.run(repo: repo, remote: remote, targets: selection.targets, jobs: jobs,
                                            stageManifests: stageManifests)
        for line in result.quarantined {
            Terminal.stderr("cairn: warning: " + line.replacingOccurrences(of: repo.root + "/", with: ""))
        }
        if result.objectsFetched == 0 && result.damaged.isEmpty {
            if result.missing.isEmpty { Terminal.stdout("Everything is up to date.") }
        } else {
            Terminal.stdout("fetched \(Display.count(result.objectsFetched, "object")) "
                            + "(\(Progress.human(Int64(result.bytesFetched)))) from '\(configured.name)'")
        }
        if let first = result.damaged.first {
            throw CairnError(result.damaged.count == 1 ? first
                             : "\(result.damaged.count) objects on '\(configured.name)' fail verification (first: \(first))")
        }
        if let first = result.missing.first {
            throw CairnError("\(Display.count(result.missing.count, "target")) not available on '\(configured.name)' "
                             + "(first: \(first)); push it from a clone that has it, `cairn status --remote` lists them")
        }
        return result
    }
}
