import ArgumentParser
import Basics
import Workspace

struct Fsck: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify every object reachable from the pointer files.",
        discussion: "Exits 1 when an object is missing or corrupt, naming the data that uses it.")

    @Argument(help: "Tracked data to verify (default: all).")
    var paths: [String] = []

    @Flag(help: "Print machine-readable JSON.")
    var json = false

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .shared)
        let report = try IntegrityCheck.run(repo: repo, arguments: paths, cwd: context.cwd)
        if json {
            Terminal.stdout(try JSONOutput.encode(report))
        } else if report.problems.isEmpty {
            Terminal.stdout("checked \(Display.count(report.filesChecked, "unique file content")): no problems")
        } else {
            for problem in report.problems {
                let users = problem.usedBy.joined(separator: ", ")
                let detail = problem.problem == "missing" ? "" : " (\(problem.detail))"
                Terminal.stdout("\(problem.problem) \(problem.object) used by \(users)\(detail)")
            }
            Terminal.stdout("\(Display.count(report.problems.count, "problem")) found")
        }
        if !report.problems.isEmpty { throw ExitCode(1) }
    }
}
