import ArgumentParser
import Basics
import Sync
import Workspace

struct RemoteDefault: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "default",
        abstract: "Print, set or unset the default remote (core.remote).",
        discussion: "Without NAME, prints the default remote's name.")

    @Flag(help: "Write to .cairn/config.local (not committed) instead of .cairn/config.")
    var local = false

    @Flag(help: "Remove the default setting.")
    var unset = false

    @Argument(help: "The remote to make the default.")
    var name: String?

    func validate() throws {
        if unset && name != nil { throw ValidationError("--unset takes no NAME") }
        if local && !unset && name == nil { throw ValidationError("--local needs a NAME or --unset") }
    }

    func run() throws {
        let files = try RemoteCommandSupport.files()
        let scope = RemoteCommandSupport.scope(local: local)
        if unset {
            RemoteCommandSupport.warn(try RemoteConfiguration.unsetDefault(scope: scope, files: files))
        } else if let name {
            RemoteCommandSupport.warn(try RemoteConfiguration.setDefault(name: name, scope: scope, files: files))
        } else {
            guard let name = RemoteConfiguration.defaultName(config: try files.load()) else {
                throw CairnError("no default remote; set one: cairn remote default NAME")
            }
            Terminal.stdout(name)
        }
    }
}
