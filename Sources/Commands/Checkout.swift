import ArgumentParser
import Basics
import Workspace

struct Checkout: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make the data in the work tree match the pointer files.",
        discussion: "Writes only what differs. Refuses to overwrite or delete local changes whose content is not "
            + "in the cache, unless --force is given.")

    @Argument(help: "Tracked data to check out (default: all).")
    var paths: [String] = []

    @Flag(name: .shortAndLong, help: "Overwrite or delete local changes that are not in the cache.")
    var force = false

    @Option(help: "Write the data as it was at this commit, branch or tag; HEAD and the pointer files stay as they are.")
    var rev: String?

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .exclusive)
        let result: CheckoutOperation.Result
        var unreadable: [CairnError] = []
        if let rev {
            let targets = try RevisionCheckout.targets(repo: repo, revision: rev, arguments: paths, cwd: context.cwd)
            result = try CheckoutOperation.run(repo: repo, targets: targets, force: force)
        } else {
            result = try CheckoutOperation.run(repo: repo, arguments: paths, cwd: context.cwd, force: force) {
                unreadable.append($0)
            }
        }
        for target in result.changedTargets {
            Terminal.stdout("restored \(Display.relative(target, repo: repo, cwd: context.cwd))")
        }
        var summary = "\(Display.count(result.filesWritten, "file")) written, \(result.filesUnchanged) unchanged"
        if result.filesRemoved > 0 { summary += ", \(result.filesRemoved) removed" }
        Terminal.stdout(summary)
        try Display.reportUnreadable(unreadable)
    }
}
