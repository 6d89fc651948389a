import ArgumentParser
import Basics
import Sync
import Workspace

struct RemoteModify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modify",
        abstract: "Set or unset one setting of a remote.",
        discussion: "Keys for every remote: url, jobs. s3: endpointurl, region, profile, access_key_id, "
            + "secret_access_key, session_token. ssh: user, port, keyfile, knownhostsfile, connections. "
            + "Secrets (access_key_id, secret_access_key, session_token) need --local.")

    @Flag(help: "Write to .cairn/config.local (not committed) instead of .cairn/config.")
    var local = false

    @Flag(help: "Remove KEY instead of setting it.")
    var unset = false

    @Argument(help: "The remote.")
    var name: String

    @Argument(help: "The setting, e.g. endpointurl.")
    var key: String

    @Argument(help: "The new value (not with --unset).")
    var value: String?

    func validate() throws {
        if unset && value != nil { throw ValidationError("--unset takes no VALUE") }
        if !unset && value == nil { throw ValidationError("missing VALUE (or pass --unset to remove \(key))") }
    }

    func run() throws {
        let files = try RemoteCommandSupport.files()
        let scope = RemoteCommandSupport.scope(local: local)
        if let value {
            try RemoteConfiguration.set(name: name, key: key, value: value, scope: scope, files: files)
        } else {
            try RemoteConfiguration.unset(name: name, key: key, scope: scope, files: files)
        }
    }
}
