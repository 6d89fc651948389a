import Basics
import Workspace

/// Formatting shared by the commands.
enum Display {
    /// A repo-relative path as the user would type it from `cwd` (so printed git commands work as-is).
    static func relative(_ repoPath: String, repo: CairnRepository, cwd: String) -> String {
        guard let here = Paths.relative(cwd, to: repo.root), !here.isEmpty else { return repoPath }
        let a = here.split(separator: "/"), b = repoPath.split(separator: "/")
        var common = 0
        while common < a.count && common < b.count - 1 && a[common] == b[common] { common += 1 }
        let ups = Array(repeating: "..", count: a.count - common)
        return (ups + b[common...].map(String.init)).joined(separator: "/")
    }

    /// "1 file", "2 files".
    static func count(_ n: Int, _ noun: String) -> String { Counted.of(n, noun) }

    /// Quotes a path for a shell command line when it needs it.
    static func shellQuoted(_ s: String) -> String { Shell.quoted(s) }
}
