import Foundation
import XCTest

/// Pipelines for the repro tests. Stage commands append their name to `runs.log` next to the repository (outside
/// it, so the log is neither a dep nor an out): `takeRuns` tells which commands really ran.
extension TempRepo {
    /// A shell fragment that records that `stage` ran.
    static func logRun(_ stage: String) -> String { "echo \(stage) >> \"$CAIRN_ROOT/../runs.log\"" }

    /// The stages that ran since the last call, in the order they logged, and forgets them.
    func takeRuns() -> [String] {
        let path = base + "/runs.log"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: path)
        return text.split(separator: "\n").map(String.init)
    }

    func repro(_ arguments: String..., env: [String: String] = [:]) throws -> CommandResult {
        try cairnArgs(["repro"] + arguments, env: env)
    }

    /// prepare (in.txt → mid.txt) → train (mid.txt + params a → model.txt), and an unrelated `other`
    /// (other.txt → other.out).
    func writeThreeStagePipeline() throws {
        try write("in.txt", "hello\n")
        try write("other.txt", "other\n")
        try write("params.yaml", "a: 1\nb: x\n")
        try write("cairn.yaml", """
            stages:
              prepare:
                cmd: \(TempRepo.logRun("prepare")) && tr a-z A-Z < in.txt > mid.txt
                deps: [in.txt]
                outs: [mid.txt]
              train:
                cmd: \(TempRepo.logRun("train")) && cat mid.txt mid.txt > model.txt
                deps: [mid.txt]
                params: [a]
                outs: [model.txt]
              other:
                cmd: \(TempRepo.logRun("other")) && cp other.txt other.out
                deps: [other.txt]
                outs: [other.out]
            """)
    }
}
