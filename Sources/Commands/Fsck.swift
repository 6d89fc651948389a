import ArgumentParser
import Basics
import Sync
import Remotes
import Workspace

struct Fsck: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify every object reachable from the pointer files and cairn.lock outputs.",
        discussion: "Exits 1 when an object is missing or corrupt, naming the data that uses it. With --repair, "
            + "damaged packs are moved to .cairn/cache/quarantine/ (their good objects kept) and what is corrupt "
            + "or missing is downloaded again from the remote and verified.")

    @Argument(help: "Tracked data to verify (default: all).")
    var paths: [String] = []

    @Flag(help: "Print machine-readable JSON.")
    var json = false

    @Flag(help: "Replace corrupt or missing objects with verified copies from the remote.")
    var repair = false

    @Option(name: [.customShort("r"), .customLong("remote")],
            help: "The remote to repair from (default: the default remote). Only with --repair.")
    var remote: String?

    func validate() throws {
        if remote != nil && !repair { throw ValidationError("--remote is only used with --repair") }
    }

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: repair ? .exclusive : .shared)
        let report: IntegrityCheck.Report
        var unreadable: [CairnError] = []
        if repair {
            report = try runRepair(repo, cwd: context.cwd)
        } else {
            for notice in repo.store.packNotices { warn(notice, repo) }
            report = try IntegrityCheck.run(repo: repo, arguments: paths, cwd: context.cwd) { unreadable.append($0) }
        }
        if json {
            Terminal.stdout(try JSONOutput.encode(report))
        } else if report.problems.isEmpty && unreadable.isEmpty {
            Terminal.stdout("checked \(Display.count(report.filesChecked, "unique file content")): no problems")
        } else if report.problems.isEmpty {
            Terminal.stdout("checked \(Display.count(report.filesChecked, "unique file content")) of the readable pointers")
        } else {
            for problem in report.problems {
                let users = problem.usedBy.map { Display.relative($0, repo: repo, cwd: context.cwd) }.joined(separator: ", ")
                let detail = problem.problem == "missing" ? "" : " (\(problem.detail))"
                Terminal.stdout("\(problem.problem) \(problem.object) used by \(users)\(detail)")
            }
            Terminal.stdout("\(Display.count(report.problems.count, "problem")) found")
        }
        try Display.reportUnreadable(unreadable)
        if !report.problems.isEmpty { throw ExitCode(1) }
    }

    /// Repairs, says what it did on stderr (stdout keeps the usual report, of what remains), returns what remains.
    private func runRepair(_ repo: CairnRepository, cwd: String) throws -> IntegrityCheck.Report {
        var opened: (name: String, remote: any Remotes.Remote, jobs: Int)?
        var noRemote: String?
        do {
            let configured = try RemoteConfiguration.remote(named: remote, config: repo.config)
            opened = (configured.name, try RemoteOpener.open(configured), RemoteOpener.jobs(configured, override: nil))
        } catch let error as CairnError where remote == nil {
            // Without a remote, local repairs still happen; say why nothing was downloaded if something remains.
            noRemote = error.message
        }
        let result = try RepairOperation.run(repo: repo, arguments: paths, cwd: cwd, remote: opened?.remote,
                                             jobs: opened?.jobs ?? 1)
        for line in result.quarantined { warn(line, repo) }
        if let fetch = result.fetch, let name = opened?.name {
            if fetch.objectsFetched > 0 {
                Terminal.stderr("fetched \(Display.count(fetch.objectsFetched, "object")) "
                                + "(\(Progress.human(Int64(fetch.bytesFetched)))) from '\(name)'")
            }
            for damaged in fetch.damaged { warn(damaged, repo) }
        }
        if let noRemote, !result.after.problems.isEmpty { warn("no remote to repair from (\(noRemote))", repo) }
        let repaired = result.before.problems.count - result.after.problems.count
        if !result.before.problems.isEmpty {
            Terminal.stderr("repaired \(repaired) of \(Display.count(result.before.problems.count, "problem"))")
        }
        return result.after
    }

    private func warn(_ line: String, _ repo: CairnRepository) {
        Terminal.stderr("cairn: warning: " + line.replacingOccurrences(of: repo.root + "/", with: ""))
    }
}
