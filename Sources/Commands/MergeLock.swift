import ArgumentParser
import Basics
import Pipeline

/// `cairn merge-lock BASE OURS THEIRS [PATH]`: the Git merge driver for cairn.lock that `cairn install-hooks`
/// registers (`merge.cairn-lock.driver = cairn merge-lock %O %A %B %P`). Git runs it with three temporary files and
/// takes OURS afterwards as the result; exit 0 = merged, anything else = conflicted.
struct MergeLock: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge-lock",
        abstract: "Merge three versions of cairn.lock stage by stage (Git's merge driver for cairn.lock).",
        discussion: "Writes the result into OURS. A stage changed on one side takes that side; changed on both "
            + "sides the same way, that; changed differently on both, the file gets conflict markers around that "
            + "stage's two entries only and the exit code is 1. A version that is not a valid cairn.lock leaves "
            + "OURS untouched and exits 1, so Git reports a conflict.",
        shouldDisplay: false)

    @Argument(help: "The common ancestor's version (%O).")
    var base: String
    @Argument(help: "The current branch's version (%A); receives the result.")
    var ours: String
    @Argument(help: "The merged branch's version (%B).")
    var theirs: String
    @Argument(help: "The file's path in the repository (%P), for messages.")
    var path: String = PipelineLock.fileName

    func run() throws {
        let read = { (file: String, name: String) in try PipelineFileReader.readText(file, displayName: "\(self.path) (\(name))") }
        let result = try LockMerge.merge(base: read(base, "ancestor"), ours: read(ours, "ours"), theirs: read(theirs, "theirs"), file: path)
        try FS.writeAtomically(ours, result.text)
        guard result.conflicts.isEmpty else {
            let names = result.conflicts.map { "'\($0)'" }.joined(separator: ", ")
            Terminal.stderr("cairn: \(path): conflict in the lock entries of \(names) (changed differently on both sides); "
                + "keep one side of each, or resolve the rest and run `cairn repro` to record them again")
            throw ExitCode(1)
        }
    }
}
