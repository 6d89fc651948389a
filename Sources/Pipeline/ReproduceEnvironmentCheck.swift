import Basics

/// The hook where `cairn reproduce` compares this machine's environment with what REV's run records captured
/// (cairn version, OS, kernel, architecture, the stage programs' versions, Python packages, referenced
/// environment variables: issue 11 item 5). Each difference is one line; the report prints them under
/// "Likely causes" when a stage diverged or could not run (and as "Environment differences" otherwise).
///
/// Run-environment capture is not recorded yet, so there is nothing to compare: this returns no differences.
/// Fill it in when run records carry the environment.
public enum ReproduceEnvironmentCheck {
    /// Called before any stage runs, with no repository open (so it may open one: the main work tree's
    /// `CairnRepository.open(cwd: mainRoot, lockMode: .shared)` holds lineage.db with the runs bound to REV;
    /// opening the worktree as well would wait on the shared cache lock).
    /// - `mainRoot`: the user's work tree; `worktree`: the temporary worktree at REV (its cairn.lock files are REV's);
    /// - `commit`: the full sha of REV; `stages`: display names of the stages about to be re-run, with the command
    ///   each will run.
    public static func differences(mainRoot: String, worktree: String, commit: String,
                                   stages: [(stage: String, commands: [String])]) -> [String] {
        _ = (mainRoot, worktree, commit, stages)
        return []
    }
}
