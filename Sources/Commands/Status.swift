import ArgumentParser
import Basics
import Foundation
import Workspace

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show tracked data that differs from its pointer file.",
        discussion: "States: modified, deleted, not in cache. Inside tracked directories, lists added, modified "
            + "and removed files.")

    @Argument(help: "Tracked data to check (default: all).")
    var paths: [String] = []

    @Flag(help: "Print machine-readable JSON, listing every pointer.")
    var json = false

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .shared)
        let entries = try StatusOperation.run(repo: repo, arguments: paths, cwd: context.cwd)
        if json {
            struct Output: Encodable { var entries: [StatusOperation.Entry] }
            Terminal.stdout(try JSONOutput.encode(Output(entries: entries)))
            return
        }
        let dirty = entries.filter { $0.state != .unchanged }
        if dirty.isEmpty {
            Terminal.stdout("Everything is up to date.")
            PhaseTimer.mark("print")
            return
        }
        var lines: [String] = []
        for entry in dirty {
            let state = entry.state == .notInCache ? "not in cache" : entry.state.rawValue
            lines.append("\(entry.path): \(state)")
            for change in entry.changes {
                let label = (change.change + ":").padding(toLength: 9, withPad: " ", startingAt: 0)
                lines.append("    \(label) \(change.path)")
            }
        }
        Terminal.stdout(lines.joined(separator: "\n"))
        PhaseTimer.mark("print")
    }
}

enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
