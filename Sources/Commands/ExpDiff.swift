import ArgumentParser

struct ExpDiff: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Compare experiments (not yet).")
    @Argument var revisions: [String] = []
    func run() throws {}
}
