import ArgumentParser
import Basics
import Pipeline

struct Reproduce: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-run a past commit's pipeline and check that every output comes out byte for byte as recorded.",
        discussion: "In a temporary Git worktree at REV (your work tree, HEAD and index are not touched), checks out "
            + "REV's tracked inputs from the cache, fetching what is missing from the remote, runs every stage of "
            + "REV's pipelines (or the TARGETs and their upstream) without the run-cache, and compares each output "
            + "with REV's cairn.lock: reproduced, diverged (which outputs, how) or could not run (why). Exit 0 only "
            + "when every output is identical. See docs/pipelines.md.")

    @Argument(help: "The commit to reproduce (any Git revision: HEAD, HEAD~1, a tag, a sha).")
    var revision: String

    @Argument(help: "Stages, output paths or cairn.yaml files to reproduce (default: every stage).")
    var targets: [String] = []

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Flag(help: "Keep the temporary worktree for inspection and print its path.")
    var keep = false

    @Option(name: [.customShort("j"), .customLong("jobs")], help: "Stages to run at once (default: the number of cores).")
    var jobs: Int?

    @Option(name: [.customShort("r"), .customLong("remote")], help: "Fetch missing inputs from this remote (default: the default remote).")
    var remote: String?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("-j must be at least 1") }
    }

    func run() throws {
        let printer = ReproPrinter(keepGoing: true, json: false)
        var options = ReproduceOptions()
        options.revision = revision
        options.targets = targets
        options.keep = keep
        options.remote = remote
        if let jobs { options.jobs = jobs }
        // With --json stdout is the report alone: the run's own lines go to stderr.
        let json = self.json
        options.events = { event in
            if case .failed = event { return }   // the report says it, with the reason
            if json { if case .running(let stage, _) = event { printer.line("Running stage '\(stage)'", fd: 2) }; return }
            if case .running(let stage, _) = event { printer.line("Running stage '\(stage)'", fd: 1); return }
            printer.event(event)
        }
        options.outputLine = { isError, text in printer.line(text, fd: isError || json ? 2 : 1) }
        options.worktreeCreated = { path in
            if !json { printer.line("Reproducing \(revision) in a temporary worktree", fd: 1) }
            _ = path
        }
        options.environmentChecked = { differences in
            // Said before the stages run, so a long run's user knows at once; the report repeats them.
            for line in differences { printer.line("Environment differs from the recorded run: \(line)", fd: 2) }
        }
        let report = try ReproduceOperation.run(cwd: CommandContext().cwd, options: options)
        if json {
            Terminal.stdout(try JSONOutput.encode(report))
        } else {
            for line in ReproduceDisplay.lines(report) { Terminal.stdout(line) }
        }
        if !report.reproduced { throw ExitCode(1) }
    }
}

/// The text form of a reproduce report.
enum ReproduceDisplay {
    static func lines(_ report: ReproduceReport) -> [String] {
        var lines: [String] = []
        let place = "\(report.revision) (\(report.commit.prefix(7)))"
        if !report.missingInputs.isEmpty {
            lines.append("Cannot reproduce \(place): \(Display.count(report.missingInputs.count, "input")) neither in the cache nor on the remote; nothing was run:")
            for missing in report.missingInputs { lines.append("    \(missing.path) (input of stage '\(missing.stage)')") }
            if let worktree = report.worktree { lines.append("Worktree kept at \(worktree)") }
            return lines
        }
        for stage in report.stages {
            switch stage.status {
            case .reproduced:
                var line = "Stage '\(stage.stage)': reproduced"
                if !stage.divergedUpstream.isEmpty {
                    line += " (from the diverged outputs of " + stage.divergedUpstream.map { "'\($0)'" }.joined(separator: ", ") + ")"
                }
                lines.append(line)
            case .diverged:
                var line = "Stage '\(stage.stage)': diverged"
                if !stage.divergedUpstream.isEmpty {
                    line += " (its upstream " + stage.divergedUpstream.map { "'\($0)'" }.joined(separator: ", ") + " diverged too)"
                }
                lines.append(line)
                for output in stage.outputs where !output.identical { lines += describe(output) }
            case .couldNotRun:
                lines.append("Stage '\(stage.stage)': could not run: \(stage.reason ?? "unknown reason")")
            case .frozen:
                lines.append("Stage '\(stage.stage)': \(stage.reason ?? "frozen")")
            case .notRecorded:
                lines.append("Stage '\(stage.stage)': not recorded: \(stage.reason ?? "")")
            }
        }
        if !report.likelyCauses.isEmpty {
            lines.append(report.reproduced ? "Environment differences (the outputs are identical all the same):" : "Likely causes:")
            for cause in report.likelyCauses { lines.append("    " + cause) }
        }
        var parts = ["\(report.count(.reproduced)) reproduced"]
        if report.count(.diverged) > 0 { parts.append("\(report.count(.diverged)) diverged") }
        if report.count(.couldNotRun) > 0 { parts.append("\(report.count(.couldNotRun)) could not run") }
        if report.count(.notRecorded) > 0 { parts.append("\(report.count(.notRecorded)) not recorded") }
        if report.count(.frozen) > 0 { parts.append("\(report.count(.frozen)) frozen") }
        let verdict = report.reproduced ? "reproduced: every output is identical" : "NOT reproduced"
        lines.append("\(place) \(verdict) (\(Display.count(report.stages.count, "stage")): \(parts.joined(separator: ", ")))")
        if let worktree = report.worktree { lines.append("Worktree kept at \(worktree)") }
        return lines
    }

    private static func describe(_ output: ReproduceReport.Output) -> [String] {
        func short(_ id: String?) -> String { id.map { String($0.prefix(12)) } ?? "(none)" }
        func size(_ bytes: UInt64?) -> String { bytes.map { "\($0) bytes" } ?? "(none)" }
        var lines: [String] = []
        if output.newID == nil {
            lines.append("    \(output.path): not produced (recorded: \(size(output.oldSize)), id \(short(output.oldID)))")
        } else if output.oldID == nil {
            lines.append("    \(output.path): not recorded at this revision (now \(size(output.newSize)), id \(short(output.newID)))")
        } else {
            lines.append("    \(output.path): size \(size(output.oldSize)) → \(size(output.newSize)), id \(short(output.oldID)) → \(short(output.newID))")
        }
        for line in output.diff { lines.append("        " + line) }
        for (label, paths) in [("added", output.added), ("removed", output.removed), ("changed", output.changed)] where !paths.isEmpty {
            let shown = paths.prefix(10).joined(separator: ", ")
            lines.append("        \(label): \(shown)\(paths.count > 10 ? " and \(paths.count - 10) more" : "")")
        }
        return lines
    }
}
