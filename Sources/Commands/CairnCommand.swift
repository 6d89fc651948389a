import ArgumentParser
import Basics
import Pipeline
import Remotes
import Workspace
#if canImport(Glibc)
import Glibc
#endif

/// The root command. `main()` is ours rather than ArgumentParser's so that usage errors exit 2 (not 64) and
/// cairn's own errors print as one line without a stack trace.
public struct CairnCommand: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "cairn",
        abstract: "Version control for data and models, next to your code in Git.",
        version: "cairn \(version)",
        subcommands: [Init.self, Add.self, Status.self, Checkout.self, Get.self, Move.self, Remove.self, Log.self, Diff.self,
                      LineageCommand.self, GC.self, Fsck.self, Remote.self, Push.self, Fetch.self, Pull.self,
                      InstallHooks.self, UninstallHooks.self, Hook.self, Demo.self,
                      StageCommand.self, Dag.self, MergeLock.self,
                      Params.self, Metrics.self, Plots.self, Repro.self, Reproduce.self, Exp.self])

    public init() {}

    public static func runMain() -> Never {
        // Outputs recorded in cairn.lock are tracked data for every command (Workspace cannot see Pipeline).
        TrackedDataProviders.register(LockedOutputs())
        // Library code reports through the diagnostics sink; this is where it reaches the terminal.
        Diagnostics.install(TerminalDiagnostics())
        RunLineageSetup.install()
        do {
            var command = try parseAsRoot()
            try command.run()
            Glibc.exit(0)
        } catch let error as CairnError {
            Terminal.stderr("cairn: error: \(error.message)")
            Glibc.exit(error.exitCode)
        } catch let error as RemoteError {
            // A remote's failure (unreachable, credentials, missing bucket, full disk): one line, exit 1.
            Terminal.stderr("cairn: error: \(error.description)")
            Glibc.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success || code.rawValue == 1 {
                // --help, --version, or an ExitCode we threw after printing.
                let message = fullMessage(for: error)
                if !message.isEmpty { code == .success ? Terminal.stdout(message) : Terminal.stderr(message) }
                Glibc.exit(code.rawValue)
            }
            Terminal.stderr(usageMessage(fullMessage(for: error)))
            Glibc.exit(2)   // usage errors: unknown option, missing argument, invalid value
        }
    }
}

extension CairnCommand {
    /// ArgumentParser starts usage errors with "Error: "; cairn's errors all start "cairn: error: ", so scripts
    /// and people see one style whatever went wrong.
    static func usageMessage(_ message: String) -> String {
        message.hasPrefix("Error: ") ? "cairn: error: " + message.dropFirst("Error: ".count) : message
    }
}

/// What every subcommand shares: the working directory and how to open the repository.
struct CommandContext {
    let cwd = FS.currentDirectory()
}
