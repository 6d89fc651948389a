import ArgumentParser
import Basics
import Sync
import Workspace

struct RemoteRename: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename",
        abstract: "Rename a remote in .cairn/config and .cairn/config.local (the default follows).")

    @Argument(help: "The remote's current name.")
    var old: String

    @Argument(help: "Its new name.")
    var new: String

    func run() throws {
        try RemoteConfiguration.rename(from: old, to: new, files: try RemoteCommandSupport.files())
    }
}
