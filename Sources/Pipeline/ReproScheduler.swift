import Basics
import Dispatch

/// Runs the selected stages with up to `jobs` at once: a stage starts when every stage it depends on within the
/// selection has finished (DVC runs one stage at a time, #6035). Scheduling decisions are made on one thread;
/// workers only run stages. On a failure no new stage starts, unless `keepGoing`: then only the failed stage's
/// downstream is skipped, and unrelated stages go on.
struct ReproScheduler {
    let graph: StageGraph
    let selection: [StageID]
    let jobs: Int
    let keepGoing: Bool
    let dry: Bool
    let events: @Sendable (ReproEvent) -> Void
    let prefixed: Bool

    func run(_ executor: StageExecutor) -> ReproResult {
        let selected = Set(selection)
        var waitingOn: [StageID: Set<StageID>] = [:]
        for id in selection { waitingOn[id] = Set(graph.dependencies(of: id).filter { selected.contains($0) }) }
        var outcomes: [StageID: StageOutcome] = [:]
        var skipped: [StageID: String] = [:]
        var started = Set<StageID>()
        var running = 0
        var stopping = false
        let finished = Locked<[(StageID, StageOutcome)]>([])
        let signal = DispatchSemaphore(value: 0)

        while true {
            // Start what is ready, in topological order, up to `jobs`.
            if !stopping {
                for id in selection where running < jobs && !started.contains(id) && skipped[id] == nil {
                    guard waitingOn[id]!.allSatisfy({ outcomes[$0] != nil || skipped[$0] != nil }) else { continue }
                    if let failedUpstream = waitingOn[id]!.first(where: { outcomes[$0]?.failed == true || skipped[$0] != nil }) {
                        skipped[id] = failedUpstream.display
                        events(.skipped(stage: id.display, because: failedUpstream.display))
                        continue
                    }
                    let upstreamWouldRun = dry ? waitingOn[id]!.sorted().first(where: { outcomes[$0] == .wouldRun })?.display : nil
                    started.insert(id)
                    running += 1
                    // A thread of its own per stage: commands mostly wait, and -j may exceed the cores.
                    DispatchQueue(label: "cairn.repro.\(id.display)").async {
                        let outcome = executor.process(id, upstreamWouldRun: upstreamWouldRun)
                        if outcome == .ran { CrashPoint.reproAfterStage.reached() }
                        finished.withLock { $0.append((id, outcome)) }
                        signal.signal()
                    }
                }
            }
            if running == 0 { break }
            signal.wait()
            let done = finished.withLock { items -> [(StageID, StageOutcome)] in defer { items.removeAll() }; return items }
            for (id, outcome) in done {
                running -= 1
                outcomes[id] = outcome
                if outcome.failed && !keepGoing { stopping = true }
            }
        }
        // Skipped because of a failure upstream (with -k) are reported; stages never started after a stop are not.
        var result = ReproResult()
        for id in selection {
            if let outcome = outcomes[id] {
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
            } else if skipped[id] != nil {
                result.skipped.append(id.display)
            }
        }
        return result
    }
}
