import ArgumentParser
import Basics
import Sync
import Workspace

/// `cairn remote ...`: the remotes in `.cairn/config` (shared through Git) and `.cairn/config.local` (secrets
/// and personal settings, ignored by Git). Each subcommand is in its own file (RemoteAdd.swift, ...).
struct Remote: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "Add, list, change and remove the remotes that push and pull use.",
        discussion: "Remotes are stored in .cairn/config, which is committed so that everyone who clones gets "
            + "them. Secrets (access_key_id, secret_access_key, session_token) only go in .cairn/config.local, "
            + "which Git ignores: pass --local. Settings in .cairn/config.local win over .cairn/config.",
        subcommands: [RemoteAdd.self, RemoteList.self, RemoteRemove.self, RemoteDefault.self, RemoteModify.self,
                      RemoteRename.self])
}

/// What the remote subcommands share.
enum RemoteCommandSupport {
    static func files() throws -> RemoteConfigurationFiles {
        try RemoteConfigurationFiles.locate(cwd: CommandContext().cwd)
    }

    static func scope(local: Bool) -> ConfigScope { local ? .local : .shared }

    static func warn(_ warning: String?) {
        if let warning { Terminal.stderr("cairn: warning: \(warning)") }
    }
}
