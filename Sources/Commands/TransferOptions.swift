import ArgumentParser
import Basics
import Sync
import Remotes
import Workspace

/// The arguments push, fetch, pull and `status --remote` share: what to transfer, where, how parallel.
struct TransferOptions: ParsableArguments {
    @Argument(help: "Tracked data to transfer (default: every pointer in the work tree).")
    var paths: [String] = []

    @Option(name: [.customShort("r"), .customLong("remote")], help: "The remote to use (default: the default remote).")
    var remote: String?

    @Option(name: [.customShort("j"), .customLong("jobs")], help: "Parallel transfers (default: the remote's 'jobs' setting, else 8).")
    var jobs: Int?

    @OptionGroup var scopeOptions: ScopeOptions

    func validate() throws {
        if let jobs, !(1...256).contains(jobs) { throw ValidationError("--jobs must be between 1 and 256") }
    }

    /// The configured remote, opened, and the number of parallel transfers to use.
    func openRemote(_ repo: CairnRepository) throws -> (configured: ConfiguredRemote, remote: any Remotes.Remote, jobs: Int) {
        let configured = try RemoteConfiguration.remote(named: remote, config: repo.config)
        return (configured, try RemoteOpener.open(configured), RemoteOpener.jobs(configured, override: jobs))
    }

    /// `cairn status --remote` with the same selection and remote: what a hint tells the user to type to see
    /// the targets a transfer left out.
    var statusCommand: String {
        var words = ["cairn", "status", "--remote"]
        if let remote { words += ["-r", remote] }
        words += scopeOptions.arguments + (paths.isEmpty ? [] : ["--"] + paths)
        return words.map(ShellWord.quoted).joined(separator: " ")
    }

    func select(_ repo: CairnRepository, cwd: String) throws -> TransferTargets.Selection {
        try TransferTargets.select(repo: repo, arguments: paths, cwd: cwd, scope: scopeOptions.scope)
    }
}

/// Quoting for commands shown in hints, so they work when pasted into a POSIX shell.
enum ShellWord {
    static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_./@~^:=,+".unicodeScalars.contains($0)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
