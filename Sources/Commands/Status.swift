import ArgumentParser
import Basics
import Sync
import Foundation
import Workspace

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show tracked data that differs from its pointer file.",
        discussion: "States: modified, deleted, not in cache (`cairn pull` fetches it). Inside tracked "
            + "directories, lists added, modified and removed files.")

    @Argument(help: "Tracked data to check (default: all).")
    var paths: [String] = []

    @Flag(help: "Print machine-readable JSON, listing every pointer.")
    var json = false

    @Flag(name: .customLong("remote"), help: "Compare the cache with a remote instead of the work tree with its pointers.")
    var compareWithRemote = false

    @Option(name: .customShort("r"), help: "The remote for --remote (default: the default remote).")
    var remoteName: String?

    @Option(name: [.customShort("j"), .customLong("jobs")], help: "Parallel index downloads for --remote.")
    var jobs: Int?

    @OptionGroup var scopeOptions: ScopeOptions

    func validate() throws {
        if remoteName != nil && !compareWithRemote { throw ValidationError("-r needs --remote") }
        if !compareWithRemote && !scopeOptions.isEmpty {
            throw ValidationError("--all-branches, --all-tags, --all-commits and --rev need --remote")
        }
    }

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .shared)
        if compareWithRemote { return try runRemote(repo: repo, cwd: context.cwd) }
        var unreadable: [CairnError] = []
        let entries = try StatusOperation.run(repo: repo, arguments: paths, cwd: context.cwd) { unreadable.append($0) }
        let pipelines = paths.isEmpty ? StatusPipelines.evaluate(repo: repo) : StatusPipelines()   // StatusPipelines.swift
        printLocal(entries, clean: unreadable.isEmpty, pipelines: pipelines, repo: repo, cwd: context.cwd)
        // A bad pointer is reported after the others, as one error line each, and makes the exit code 1.
        try Display.reportUnreadable(unreadable)
        try pipelines.reportError()
    }

    private func printLocal(_ entries: [StatusOperation.Entry], clean: Bool, pipelines: StatusPipelines,
                            repo: CairnRepository, cwd: String) {
        if json {
            struct Output: Encodable { var entries: [StatusOperation.Entry]; var stages: [StatusPipelines.Stage] }
            Terminal.stdout((try? JSONOutput.encode(Output(entries: entries, stages: pipelines.stages))) ?? "{}")
            return
        }
        let dirty = entries.filter { $0.state != .unchanged }
        if !pipelines.isClean { Terminal.stdout(pipelines.lines.joined(separator: "\n")) }
        if dirty.isEmpty {
            if clean && pipelines.isClean && pipelines.error == nil { Terminal.stdout("Everything is up to date.") }
            PhaseTimer.mark("print")
            return
        }
        var lines: [String] = []
        for entry in dirty {
            let state = entry.state == .notInCache ? "not in cache" : entry.state.rawValue
            lines.append("\(Display.relative(entry.path, repo: repo, cwd: cwd)): \(state)")
            for change in entry.changes {
                let label = (change.change + ":").padding(toLength: 9, withPad: " ", startingAt: 0)
                lines.append("    \(label) \(Display.relative(change.path, repo: repo, cwd: cwd))")
            }
        }
        if dirty.contains(where: { $0.state == .notInCache && $0.push != false }) { lines.append(pullHint(repo: repo)) }
        for entry in dirty where entry.state == .notInCache && entry.push == false {
            lines.append("(\(Display.relative(entry.path, repo: repo, cwd: cwd)): an output marked `push: false`, which no"
                + " remote has; `cairn repro` makes it)")
        }
        let outputs = dirty.filter { $0.stage != nil && $0.state != .notInCache }
        if !outputs.isEmpty {
            let shown = outputs.map { Display.shellQuoted(Display.relative($0.path, repo: repo, cwd: cwd)) }.joined(separator: " ")
            lines.append("(outputs of pipeline stages: `cairn repro` records what they hold now by running the stages,"
                + " `cairn checkout \(shown)` restores the versions cairn.lock records)")
        }
        Terminal.stdout(lines.joined(separator: "\n"))
        PhaseTimer.mark("print")
    }

    /// What brings data that is not in the cache (a fresh clone has none): `cairn pull` from the default remote.
    private func pullHint(repo: CairnRepository) -> String {
        guard let remote = RemoteConfiguration.defaultName(config: repo.config) else {
            return "(data not in cache: set a default remote with `cairn remote add -d NAME URL`, then run `cairn pull`)"
        }
        return "(data not in cache: run `cairn pull` to fetch it from '\(remote)' and check it out)"
    }
}

extension Status {
    private func runRemote(repo: CairnRepository, cwd: String) throws {
        let selection = try TransferTargets.select(repo: repo, arguments: paths, cwd: cwd, scope: scopeOptions.scope)
        let configured = try RemoteConfiguration.remote(named: remoteName, config: repo.config)
        let remote = try RemoteOpener.open(configured)
        let report = try RemoteStatusOperation.run(repo: repo, remote: remote, remoteName: configured.name,
                                          targets: selection.targets,
                                          jobs: RemoteOpener.jobs(configured, override: jobs))
        if json { return Terminal.stdout(try JSONOutput.encode(report)) }
        var lines: [String] = []
        func section(_ title: String, _ labels: [String]) {
            guard !labels.isEmpty else { return }
            lines.append(title)
            lines.append(contentsOf: labels.map { "    \($0)" })
        }
        section("Not on remote '\(configured.name)' (cairn push sends it):", report.notOnRemote)
        section("Not in the cache (cairn pull brings it):", report.notInCache)
        section("Missing from the cache and from '\(configured.name)':", report.missing)
        Terminal.stdout(lines.isEmpty ? "Everything is in sync with '\(configured.name)'." : lines.joined(separator: "\n"))
    }
}

enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
