import ArgumentParser
import Basics
import Sync
import Workspace

struct Push: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Upload tracked data that the remote does not have yet.",
        discussion: "Sends only the objects the remote lacks, packed and in parallel; every object is verified "
            + "before it is sent. An interrupted push is completed by running it again.")

    @OptionGroup var options: TransferOptions

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .shared)
        let selection = try options.select(repo, cwd: context.cwd)
        let (configured, remote, jobs) = try options.openRemote(repo)
        let result = try PushOperation.run(repo: repo, remote: remote, targets: selection.targets, jobs: jobs)
        if result.objectsSent == 0 {
            Terminal.stdout("Everything is up to date on '\(configured.name)'.")
        } else {
            Terminal.stdout("pushed \(Display.count(result.objectsSent, "object")) in "
                            + "\(Display.count(result.packsSent, "pack")) (\(Progress.human(Int64(result.bytesSent)))) "
                            + "to '\(configured.name)'")
        }
        try PushCommandSupport.failIfMissing(result.missingLocally, verb: "pushed")
    }
}

enum PushCommandSupport {
    /// Data that is not in the local cache cannot be sent: name it and fail (exit 1) after sending the rest.
    static func failIfMissing(_ labels: [String], verb: String) throws {
        guard !labels.isEmpty else { return }
        throw CairnError("\(Display.count(labels.count, "target")) not \(verb): their data is not in the local cache "
                         + "(first: \(labels[0]); `cairn status --remote` lists them)")
    }
}
