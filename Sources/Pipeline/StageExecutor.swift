import Basics
import Workspace

/// What happened to one stage of a repro.
enum StageOutcome: Sendable, Equatable {
    case upToDate
    case ran
    case restored
    case wouldRun
    case frozen
    case failed(String)

    var failed: Bool { if case .failed = self { return true } else { return false } }
}

/// One stage from "does it need to run?" to its lock entry: evaluate, restore or run, check its inputs did not
/// change meanwhile (#11058), store the outputs, git-ignore them, write the lock entry. Holds the repository
/// (through the session) for everything except the commands themselves.
struct StageExecutor: Sendable {
    let graph: StageGraph
    let session: ReproSession
    let locks: LockBook
    let options: ReproOptions
    let routing: StageOutputRouting
    let root: String

    /// `upstreamRunning`: in a dry run, an upstream stage that would run (its outputs, so our deps, may change).
    func process(_ id: StageID, upstreamWouldRun: String?) -> StageOutcome {
        do { return try attempt(id, upstreamWouldRun: upstreamWouldRun) } catch {
            let message = (error as? CairnError)?.message ?? "\(error)"
            options.events(.failed(stage: id.display, message: message))
            return .failed(message)
        }
    }

    private func attempt(_ id: StageID, upstreamWouldRun: String?) throws -> StageOutcome {
        let stage = graph.stage(id)
        let pipeline = graph.pipeline(id)
        let lockDirectory = pipeline.directory
        let forced = options.force
        // 1. Decide, and prepare the run, holding the repository.
        typealias Plan = (outcome: StageOutcome?, inputs: StageInputs)
        let plan: Plan = try session.with { repo, hasher in
            let evaluator = StageEvaluator(root: root, hasher: hasher) { OutputStorer.isCached(type: $0.type, id: $0.id, repo: repo) }
            let locked = try locks.entry(for: id)
            var evaluation = try evaluator.evaluate(stage, locked: locked, lockDirectory: lockDirectory)
            if let upstreamWouldRun, options.dry { evaluation.changes.insert(.upstreamRuns(upstreamWouldRun), at: 0) }
            if evaluation.changes.isEmpty && !forced {
                options.events(.upToDate(stage: id.display))
                return (.upToDate, evaluation.inputs)
            }
            if stage.frozen {
                options.events(.frozen(stage: id.display, lockPath: id.lockPath, reasons: evaluation.changes))
                return (.frozen, evaluation.inputs)
            }
            let reasons = forced && evaluation.changes.isEmpty ? [StageChange.forced] : evaluation.changes
            if options.dry {
                options.events(.wouldRun(stage: id.display, lockPath: id.lockPath, reasons: reasons, commands: stage.commands))
                return (.wouldRun, evaluation.inputs)
            }
            if evaluation.restorable && !forced, let locked {
                try restore(locked, lockDirectory: lockDirectory, id: id, repo: repo, force: false)
                options.events(.restored(stage: id.display, fromRunCache: false))
                return (.restored, evaluation.inputs)
            }
            try refuseToRun(evaluation.inputs)
            if let hit = try runCacheHit(stage, inputs: evaluation.inputs, lockDirectory: lockDirectory, repo: repo) {
                // The run-cache keeps uncached metrics and plots too (RunCache.record stores them): restore every out.
                var everyOut = hit
                for i in everyOut.outs.indices { everyOut.outs[i].cache = true }
                try restore(everyOut, lockDirectory: lockDirectory, id: id, repo: repo, force: true)
                try finish(id, entry: hit, pipeline: pipeline, repo: repo, stage: stage)
                let now = Self.now()
                ReproHooks.recordRun(ReproRunRecord(
                    stage: id.display, lockPath: id.lockPath, command: stage.cmd, startedAt: now, finishedAt: now,
                    succeeded: true, exitCode: nil,
                    inputs: hit.deps.map { (LockPaths.repoPath($0.path, lockDirectory: lockDirectory), $0.id) },
                    outputs: hit.outs.map { (LockPaths.repoPath($0.path, lockDirectory: lockDirectory), $0.id) },
                    params: hit.params, restoredFromRunCache: true), repo: repo)
                options.events(.restored(stage: id.display, fromRunCache: true))
                return (.restored, evaluation.inputs)
            }
            options.events(.running(stage: id.display, reasons: reasons))
            for out in stage.outs where !out.persist {
                try FS.removeTree(Paths.join(root, out.path.repoPath))
            }
            return (nil, evaluation.inputs)
        }
        if let outcome = plan.outcome { return outcome }

        // 2. The commands, without the repository lock.
        session.commandStarting()
        defer { session.commandFinished() }
        var environment = StageProcess.currentEnvironment()
        environment["CAIRN_ROOT"] = root
        environment["CAIRN_STAGE"] = id.display
        var routing = self.routing
        if routing.prefix != nil { routing.prefix = "[\(id.display)] " }
        let directory = stage.workingDirectory(root: root)
        let startedAt = Self.now()
        var run = ReproRunRecord(stage: id.display, lockPath: id.lockPath, command: stage.cmd, startedAt: startedAt,
                                 finishedAt: startedAt, succeeded: false, exitCode: nil,
                                 inputs: plan.inputs.deps.map { (LockPaths.repoPath($0.path, lockDirectory: lockDirectory), $0.id) },
                                 outputs: [], params: plan.inputs.params, restoredFromRunCache: false)
        let captured = RunEnvironmentCapture.capture(commands: stage.commands, directory: directory, root: root,
                                                     environment: environment).json
        run.environmentJSON = captured
        session.environments.withLock { $0.append((id.display, captured)) }
        for command in stage.commands {
            options.events(.command(stage: id.display, command: command))
            let outcome = try StageProcess.run(command, directory: directory, environment: environment, routing: routing)
            if !outcome.succeeded {
                if case .exited(let code) = outcome { run.exitCode = code }
                run.finishedAt = Self.now()
                recordRun(run)
                throw CairnError("command \(outcome.description): \(command)")
            }
        }
        run.exitCode = 0
        run.finishedAt = Self.now()

        // 3. Check, store and record, holding the repository again.
        do {
            return try finishRun(id, stage: stage, pipeline: pipeline, plan: plan.inputs, run: run)
        } catch {
            recordRun(run)   // the commands ran; the stage failed afterwards (an input changed, an output is missing)
            throw error
        }
    }

    /// Step 3 of a run: inputs unchanged, outputs present, stored, git-ignored, recorded.
    private func finishRun(_ id: StageID, stage: Stage, pipeline: PipelineFile, plan: StageInputs,
                           run: ReproRunRecord) throws -> StageOutcome {
        let lockDirectory = pipeline.directory
        return try session.with { repo, hasher in
            let evaluator = StageEvaluator(root: root, hasher: hasher) { OutputStorer.isCached(type: $0.type, id: $0.id, repo: repo) }
            let after = try evaluator.inputs(of: stage, lockDirectory: lockDirectory)
            if after != plan {
                let changed = changedInputs(before: plan, after: after, lockDirectory: lockDirectory)
                throw CairnError("\(changed) changed while the stage ran; its outputs may come from"
                    + " either version, so they are not recorded (run `cairn repro` again)")
            }
            for out in stage.outs where !FS.exists(Paths.join(root, out.path.repoPath)) {
                throw CairnError("output '\(out.path.repoPath)' was not created by the command")
            }
            let cached = stage.outs.filter(\.cache)
            let stored = try OutputStorer.store(cached.map(\.path.repoPath), repo: repo)
            var storedByPath: [String: OutputStorer.Stored] = [:]
            for (out, result) in zip(cached, stored) { storedByPath[out.path.repoPath] = result }
            var outs: [LockedPath] = []
            for out in stage.outs {
                let relative = LockPaths.relative(out.path.repoPath, to: lockDirectory)
                var entry: LockedPath
                if let result = storedByPath[out.path.repoPath] {
                    let identity = result.identity
                    entry = LockedPath(path: relative, type: identity.type, id: identity.id, size: identity.size,
                                       files: identity.type == .directory ? identity.fileCount : nil,
                                       executable: result.executable)
                } else {
                    guard let found = try evaluator.identify(out.path.repoPath, lockDirectory: lockDirectory) else {
                        throw CairnError("output '\(out.path.repoPath)' disappeared")
                    }
                    entry = found
                }
                entry.cache = out.cache
                entry.push = out.push
                outs.append(entry)
            }
            let entry = LockedStage(cmd: stage.cmd, deps: plan.deps, params: plan.params, outs: outs)
            try finish(id, entry: entry, pipeline: pipeline, repo: repo, stage: stage)
            if options.recordRunCache { do { try ReproHooks.runCacheRecord(repo: repo, lockDirectory: lockDirectory, stage: entry) } catch {
                Diagnostics.warning("stage \(id.display): could not record the run in the run-cache: \(error)")
            } }
            var succeeded = run
            succeeded.succeeded = true
            succeeded.outputs = outs.map { (LockPaths.repoPath($0.path, lockDirectory: lockDirectory), $0.id) }
            ReproHooks.recordRun(succeeded, repo: repo)
            return .ran
        }
    }

    /// Lineage of a failed run; lineage is a record, not the job: failing to write it is only a warning.
    private func recordRun(_ run: ReproRunRecord) {
        do { try session.with { repo, _ in ReproHooks.recordRun(run, repo: repo) } } catch {
            Diagnostics.warning("stage \(run.stage): could not record the run in lineage: \(error)")
        }
    }

    static func now() -> Int64 { FS.nowNs() / 1_000_000_000 }

    /// Git-ignores the cached outputs, then writes the lock entry (an ignore line never waits for a lock that
    /// names the output; a crash between the two leaves an ignored file and the old entry, which reruns).
    private func finish(_ id: StageID, entry: LockedStage, pipeline: PipelineFile, repo: CairnRepository, stage: Stage) throws {
        for out in stage.outs where out.cache { try GitignoreFile.add(dataPath: out.path.repoPath, root: root) }
        try locks.record(entry, for: id, pipeline: pipeline)
        options.events(.lockWritten(stage: id.display, lockPath: id.lockPath))
    }

    /// A stage whose deps or params cannot be read is not run: its outputs are still there, untouched.
    private func refuseToRun(_ inputs: StageInputs) throws {
        if let missing = inputs.missing.first {
            let producer = graph.producer(of: missing).map { " (an output of stage \($0.display), which did not run)" } ?? ""
            throw CairnError("\(missing): dependency does not exist\(producer)")
        }
        if let problem = inputs.paramsProblems.first { throw CairnError("\(problem.file): \(problem.reason)") }
    }

    /// Writes the recorded outputs of `entry` from the cache into the work tree (the same TrackedData every other
    /// command sees for lock outputs).
    private func restore(_ entry: LockedStage, lockDirectory: String, id: StageID, repo: CairnRepository, force: Bool) throws {
        let targets = try LockedOutputs.outputs(of: PipelineLock(stages: [id.name: entry]), lockPath: id.lockPath,
                                                source: id.lockPath)
        _ = try CheckoutOperation.run(repo: repo, targets: targets, force: force)
    }

    /// DVC's rules: no run-cache for `always_changed`, a stage without deps or outs, `persist` outputs or
    /// uncached outputs that are not metrics/plots (PR #8738), nor with `-f` / `--no-run-cache`.
    private func runCacheHit(_ stage: Stage, inputs: StageInputs, lockDirectory: String, repo: CairnRepository) throws -> LockedStage? {
        if options.force || options.noRunCache || stage.alwaysChanged || stage.isCallback { return nil }
        if stage.outs.contains(where: { $0.persist || (!$0.cache && $0.kind == .out) }) { return nil }
        let outs = stage.outs.map {
            LockedPath(path: LockPaths.relative($0.path.repoPath, to: lockDirectory), type: .file, id: .empty, size: 0,
                       cache: $0.cache, push: $0.push)
        }
        let key = LockedStage(cmd: stage.cmd, deps: inputs.deps, params: inputs.params, outs: outs)
        return try ReproHooks.runCacheLookup(repo: repo, lockDirectory: lockDirectory, stage: key)
    }

    private func changedInputs(before: StageInputs, after: StageInputs, lockDirectory: String) -> String {
        var names: [String] = []
        for dep in after.deps where !before.deps.contains(dep) { names.append(LockPaths.repoPath(dep.path, lockDirectory: lockDirectory)) }
        for missing in after.missing where !before.missing.contains(missing) { names.append(missing) }
        for file in Set(after.params.keys).union(before.params.keys).sorted() where after.params[file] != before.params[file] {
            names.append(LockPaths.repoPath(file, lockDirectory: lockDirectory))
        }
        return names.isEmpty ? "an input" : names.map { "'\($0)'" }.joined(separator: ", ")
    }
}
