import ArgumentParser
import Basics
import Sync
import Workspace

struct RemoteRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a remote from .cairn/config and .cairn/config.local.",
        discussion: "If it was the default remote, no remote is the default afterwards. The data on the remote "
            + "is not touched.")

    @Argument(help: "The remote to remove.")
    var name: String

    func run() throws {
        try RemoteConfiguration.remove(name: name, files: try RemoteCommandSupport.files())
    }
}
