import ArgumentParser

/// `cairn exp ...`: experiments as Git commits on refs/exps/ (docs/experiments.md).
struct Exp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exp",
        abstract: "Run, compare and keep experiments: pipeline runs with changed params, saved as Git refs.",
        discussion: "Each experiment is a commit on refs/exps/<baseline>/<name> whose parent is the commit it ran "
            + "from (its baseline); HEAD, the index and your branch never move. An experiment's name works wherever "
            + "a revision does (`cairn metrics diff NAME`, `git show` needs the full ref). See docs/experiments.md.",
        subcommands: [ExpRun.self, ExpShow.self, ExpDiff.self, ExpList.self, ExpApply.self, ExpBranch.self,
                      ExpRemove.self, ExpPush.self, ExpPull.self, ExpRunQueued.self])
}
