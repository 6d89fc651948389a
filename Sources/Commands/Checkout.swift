import ArgumentParser
import Basics
import Workspace

struct Checkout: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make the data in the work tree match the pointer files.",
        discussion: "Writes only what differs. Refuses to overwrite or delete local changes whose content is not "
            + "in the cache, unless --force is given. Without paths, right after a `git switch`, also removes the "
            + "data the previous branch tracked and this one does not, when the cache holds it (kept, git-ignored, "
            + "with a warning when it has changes).")

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
        if rev == nil && paths.isEmpty {
            // After `git switch` without hooks: the data the branch left behind no longer belongs here.
            let left = try LeftBehindData.clean(repo: repo, previous: LeftBehindData.pointersBeforeLastSwitch(repo: repo))
            for path in left.removed {
                Terminal.stdout("removed \(Display.relative(path, repo: repo, cwd: context.cwd)) (no longer tracked; the data is in the cache)")
            }
        }
        var summary = "\(Display.count(result.filesWritten, "file")) written, \(result.filesUnchanged) unchanged"
        if result.filesRemoved > 0 { summary += ", \(result.filesRemoved) removed" }
        Terminal.stdout(summary)
        try Display.reportUnreadable(unreadable)
    }
}
