import ArgumentParser
import Basics
import Hooks
import Foundation
import Workspace

struct InstallHooks: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "install-hooks",
        abstract: "Install cairn's six Git hooks.",
        discussion: "Installs into the hooks directory Git uses (core.hooksPath when set). An existing hook is "
            + "kept as NAME.cairn-user and run first; uninstall-hooks puts it back unchanged.\n\n" + hookList)

    /// One line per hook, from the list the installer uses, so the help never misses one.
    static let hookList = "Hooks:\n" + HookScripts.summaries.map {
        "  " + $0.name.padding(toLength: 15, withPad: " ", startingAt: 0) + $0.does
    }.joined(separator: "\n")

    func run() throws {
        let repo = try CairnRepository.open(cwd: CommandContext().cwd, lockMode: .exclusive)
        for line in try HookInstaller.install(git: repo.git) { Terminal.stdout(line) }
    }
}

struct UninstallHooks: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "uninstall-hooks",
        abstract: "Remove cairn's Git hooks and put back the hooks they replaced.")

    func run() throws {
        let repo = try CairnRepository.open(cwd: CommandContext().cwd, lockMode: .exclusive)
        let lines = try HookInstaller.uninstall(git: repo.git)
        for line in lines { Terminal.stdout(line) }
        if lines.isEmpty { Terminal.stdout("no cairn hooks installed") }
    }
}

struct Hook: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hook",
        abstract: "Run the logic of one Git hook (called by the installed hook scripts).",
        discussion: InstallHooks.hookList)

    @Argument(help: "The hook: \(HookScripts.names.joined(separator: ", ")).")
    var name: String

    @Argument(parsing: .captureForPassthrough, help: "The arguments Git passed to the hook.")
    var arguments: [String] = []

    func run() throws {
        // Git writes the refs being pushed on pre-push's stdin; other hooks get none (or none cairn needs).
        let input = name == "pre-push" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : ""
        let code = try HookRunner.run(name: name, arguments: arguments, cwd: CommandContext().cwd, input: input)
        if code != 0 { throw ExitCode(code) }
    }
}
