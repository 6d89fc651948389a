import ArgumentParser
import Basics
import Workspace

struct Pull: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch tracked data from a remote and check it out (fetch + checkout).",
        discussion: "Only verified content is written: every object is checked by its hash as it arrives, and a "
            + "large file's content is hashed again as it is written, before it replaces anything.")

    @OptionGroup var options: TransferOptions

    @Flag(name: .shortAndLong, help: "Overwrite or delete local changes that are not in the cache.")
    var force = false

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .exclusive)
        let selection = try options.select(repo, cwd: context.cwd)
        _ = try FetchCommandSupport.fetch(repo: repo, selection: selection, options: options, stageManifests: true)
        // The checkout proves the staged manifests of the files it writes; the rest are proven after it, and
        // whatever was proven is kept even if the checkout fails.
        let checkout = Swift.Result { try CheckoutOperation.run(repo: repo, targets: selection.workspace, force: force) }
        PhaseTimer.mark("checkout")
        let damaged = try repo.store.proveStagedManifests()
        try repo.store.commit()
        if let first = damaged.first {
            throw CairnError(damaged.count == 1 ? first : "\(damaged.count) objects fail verification (first: \(first))")
        }
        let result = try checkout.get()
        for target in result.changedTargets { Terminal.stdout("restored \(target)") }
        var summary = "\(Display.count(result.filesWritten, "file")) written, \(result.filesUnchanged) unchanged"
        if result.filesRemoved > 0 { summary += ", \(result.filesRemoved) removed" }
        Terminal.stdout(summary)
    }
}
