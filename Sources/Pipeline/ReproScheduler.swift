import Basics
import Dispatch

/// Runs the selected stages with up to `jobs` at once: a stage starts when every stage it depends on within the
/// selection has finished (DVC runs one stage at a time, #6035). Scheduling decisions are made on one thread;
/// workers only run stages. On a failure no new stage starts, unless `keepGoing`: then only the failed stage's
/// downstream is skipped, and unrelated stages go on. Work is O(stages + edges): a 500-stage no-op repro spends
/// its time in change detection, not here.
struct ReproScheduler {
    let graph: StageGraph
    let selection: [StageID]
    let jobs: Int
    let keepGoing: Bool
    let dry: Bool
    let events: @Sendable (ReproEvent) -> Void

    func run(_ executor: StageExecutor) -> ReproResult {
        let count = selection.count
        var index: [StageID: Int] = [:]
        for (i, id) in selection.enumerated() { index[id] = i }
        var upstream = [[Int]](repeating: [], count: count)
        var downstream = [[Int]](repeating: [], count: count)
        for (i, id) in selection.enumerated() {
            upstream[i] = graph.dependencies(of: id).compactMap { index[$0] }
            for u in upstream[i] { downstream[u].append(i) }
        }
        var remaining = upstream.map(\.count)
        var outcomes = [StageOutcome?](repeating: nil, count: count)
        var skippedBecause = [String?](repeating: nil, count: count)
        // Ready stages in topological order (a min-heap would do; selection order is already topological and
        // indices only become ready once, so a sorted insert into a small array is enough).
        var ready = (0..<count).filter { remaining[$0] == 0 }
        var running = 0
        var stopping = false
        let finished = Locked<[(Int, StageOutcome)]>([])
        let signal = DispatchSemaphore(value: 0)

        func settle(_ i: Int) {
            for d in downstream[i] {
                remaining[d] -= 1
                if remaining[d] == 0 {
                    let position = ready.firstIndex { $0 > d } ?? ready.endIndex
                    ready.insert(d, at: position)
                }
            }
        }

        while true {
            while !stopping && running < jobs && !ready.isEmpty {
                let i = ready.removeFirst()
                let id = selection[i]
                if let failed = upstream[i].first(where: { outcomes[$0]?.failed == true || skippedBecause[$0] != nil }) {
                    skippedBecause[i] = selection[failed].display
                    events(.skipped(stage: id.display, because: selection[failed].display))
                    settle(i)
                    continue
                }
                let upstreamWouldRun = dry ? upstream[i].first(where: { outcomes[$0] == .wouldRun }).map { selection[$0].display } : nil
                running += 1
                // A thread of its own per stage: commands mostly wait, and -j may exceed the cores.
                DispatchQueue(label: "cairn.repro.stage").async {
                    let outcome = executor.process(id, upstreamWouldRun: upstreamWouldRun)
                    if outcome == .ran { CrashPoint.reproAfterStage.reached() }
                    finished.withLock { $0.append((i, outcome)) }
                    signal.signal()
                }
            }
            if running == 0 { break }
            signal.wait()
            let done = finished.withLock { items -> [(Int, StageOutcome)] in defer { items.removeAll() }; return items }
            for (i, outcome) in done {
                running -= 1
                outcomes[i] = outcome
                if outcome.failed && !keepGoing { stopping = true }
                settle(i)
            }
        }
        // Stages skipped because of a failure upstream (with -k) are reported; stages never started after a stop are not.
        var result = ReproResult()
        for (i, id) in selection.enumerated() {
            if let outcome = outcomes[i] {
                result.outcomes.append((id.display, "\(outcome)"))
                switch outcome {
                case .ran: result.ran += 1
                case .restored: result.restored += 1
                case .wouldRun: result.wouldRun += 1
                case .failed(let message):
                    result.failed.append(id.display)
                    result.failureMessages.append(message)
                case .upToDate, .frozen: break
                }
            } else if skippedBecause[i] != nil {
                result.skipped.append(id.display)
            }
        }
        return result
    }
}
