import Basics
import Workspace

/// The hook where `cairn reproduce` compares this machine's environment with what REV's run records captured
/// (cairn version, OS, kernel, architecture, the stage programs' versions, Python packages, referenced
/// environment variables: issue 11 item 5). Each difference is one line, printed under "likely causes" when a
/// stage diverged or could not run.
///
/// Run-environment capture is not recorded yet, so there is nothing to compare: this returns no differences.
/// Fill it in when run records carry the environment.
public enum ReproduceEnvironmentCheck {
    /// `stages`: display names of the stages about to be re-run; `commit`: the full sha of REV.
    public static func differences(repo: CairnRepository, commit: String, stages: [String]) -> [String] {
        _ = (repo, commit, stages)
        return []
    }
}
