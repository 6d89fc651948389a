import ArgumentParser
import Basics
import Sync
import Workspace

struct RemoteAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a remote.",
        discussion: "URL is /path or file:///path (a local or mounted folder), s3://bucket/prefix or "
            + "ssh://[user@]host[:port]/path. Credentials may not be part of the URL: set them with "
            + "'cairn remote modify --local NAME KEY VALUE'. The first remote does not become the default by "
            + "itself; pass -d or run 'cairn remote default NAME'.")

    @Flag(name: [.customShort("d"), .customLong("default")], help: "Also make it the default remote.")
    var makeDefault = false

    @Flag(help: "Write to .cairn/config.local (not committed) instead of .cairn/config.")
    var local = false

    @Flag(name: .shortAndLong, help: "Replace a remote of the same name.")
    var force = false

    @Argument(help: "The remote's name: letters, digits, '.', '_', '-'.")
    var name: String

    @Argument(help: "Where the remote is.")
    var url: String

    func run() throws {
        let warning = try RemoteConfiguration.add(name: name, url: url, scope: RemoteCommandSupport.scope(local: local),
                                                  force: force, makeDefault: makeDefault,
                                                  files: try RemoteCommandSupport.files())
        RemoteCommandSupport.warn(warning)
    }
}
