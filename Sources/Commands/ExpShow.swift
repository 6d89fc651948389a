import ArgumentParser

struct ExpShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show experiments (not yet).")
    func run() throws {}
}
