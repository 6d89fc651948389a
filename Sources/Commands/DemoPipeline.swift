import Basics
import Foundation
import GitBridge

/// The pipeline part of `cairn demo`: a prepare → train → evaluate pipeline of awk commands over the demo's
/// sensor data. It runs the real `cairn` binary (this process's own executable) so the transcript is exactly
/// what a user sees, and checks each claim it prints against the files (lock, outputs), not against wording.
enum DemoPipeline {
    static let params = """
        prepare:
          min_humidity: 30
        train:
          smoothing: 1

        """

    static let pipeline = #"""
        stages:
          prepare:
            cmd: >-
              awk -F, -v h=${prepare.min_humidity} 'NR > 1 && $4 >= h { print $2 "," $3 "," $5 }'
              data/sensors.csv > prepared.csv
            deps: [data/sensors.csv]
            outs: [prepared.csv]
          train:
            cmd: >-
              awk -F, -v s=${train.smoothing} '{ sum[$1] += $2; n[$1]++ }
              END { for (c in sum) printf "%s,%.3f\n", c, sum[c] / (n[c] + s) }' prepared.csv | sort > model.csv
            deps: [prepared.csv]
            outs: [model.csv]
          evaluate:
            cmd: >-
              awk -F, 'NR == FNR { m[$1] = $2; next } { d = $2 - m[$1]; err += (d < 0 ? -d : d); n++ }
              END { printf "{\"mean_abs_error\": %.4f, \"rows\": %d}\n", err / n, n }' model.csv prepared.csv > metrics.json
            deps: [model.csv, prepared.csv]
            metrics:
            - metrics.json:
                cache: false

        """#

    static func run(directory: String, say: @escaping (String) -> Void) throws {
        let git = try GitRepository.discover(startingAt: directory)
        try FS.writeAtomically(Paths.join(directory, "params.yaml"), params)
        try FS.writeAtomically(Paths.join(directory, "cairn.yaml"), pipeline)
        say("\n# A pipeline: prepare → train → evaluate (awk), parameters in params.yaml")
        say("$ cat cairn.yaml\n" + pipeline)
        try cairn(["dag"], in: directory, say: say)
        try cairn(["repro"], in: directory, say: say)
        let firstLock = try read(directory, "cairn.lock")
        let firstModel = try read(directory, "model.csv")
        guard firstLock.contains("  evaluate:"), FS.exists(Paths.join(directory, "metrics.json")) else {
            throw CairnError("demo: repro did not record the pipeline; this is a bug")
        }
        let tracked = [".gitignore", "params.yaml", "cairn.yaml", "cairn.lock", "metrics.json", "data/sensors.csv.cairn",
                       "data/images.cairn", "data/.gitignore", ".cairn/.gitignore", ".cairn/config", ".cairn/format"]
        try git.commit(paths: tracked.filter { FS.exists(Paths.join(directory, $0)) }, message: "Pipeline: first run")
        say("$ git add … && git commit -m 'Pipeline: first run'        # done through libgit2")

        let preparedStamp = try FS.lstat(Paths.join(directory, "prepared.csv"))?.mtimeNs
        try cairn(["repro"], in: directory, say: say)
        guard try read(directory, "cairn.lock") == firstLock else { throw CairnError("demo: a no-op repro changed cairn.lock; this is a bug") }

        try FS.writeAtomically(Paths.join(directory, "params.yaml"), params.replacingOccurrences(of: "smoothing: 1", with: "smoothing: 500"))
        say("\n$ sed -i 's/smoothing: 1/smoothing: 500/' params.yaml")
        try cairn(["status"], in: directory, say: say, allowFailure: true)
        try cairn(["repro"], in: directory, say: say)
        guard try FS.lstat(Paths.join(directory, "prepared.csv"))?.mtimeNs == preparedStamp,
              try read(directory, "model.csv") != firstModel else {
            throw CairnError("demo: repro after a train param change should re-run train and evaluate only; this is a bug")
        }
        try cairn(["params", "diff"], in: directory, say: say)
        try cairn(["metrics", "diff"], in: directory, say: say)

        try FS.writeAtomically(Paths.join(directory, "params.yaml"), params)
        say("\n$ git checkout params.yaml        # back to smoothing: 1; the run-cache has that run's outputs")
        try cairn(["repro"], in: directory, say: say)
        guard try read(directory, "model.csv") == firstModel, try read(directory, "cairn.lock") == firstLock else {
            throw CairnError("demo: restoring from the run-cache did not give the first run's outputs; this is a bug")
        }
        try cairn(["status"], in: directory, say: say)
    }

    static func read(_ directory: String, _ path: String) throws -> String {
        try FS.readString(Paths.join(directory, path))
    }

    /// Runs this executable with `arguments` in `directory`, printing the command and its output; returns the
    /// exit status and the output.
    @discardableResult
    static func cairn(_ arguments: [String], in directory: String, say: (String) -> Void,
                      allowFailure: Bool = false) throws -> (status: Int32, output: String) {
        // Options as typed; operands quoted for the shell (Shell.quoted would turn "--queue" into a path).
        say("\n$ cairn " + arguments.map { $0.hasPrefix("-") ? $0 : Shell.quoted($0) }.joined(separator: " "))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self)
        if !text.isEmpty { say(text.hasSuffix("\n") ? String(text.dropLast()) : text) }
        if process.terminationStatus != 0 && !allowFailure {
            throw CairnError("demo: 'cairn \(arguments.joined(separator: " "))' failed (exit \(process.terminationStatus)); this is a bug")
        }
        return (process.terminationStatus, text)
    }
}
