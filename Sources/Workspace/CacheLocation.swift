import Basics
import GitBridge

/// Where a work tree's objects live, and who else uses them.
///
/// - `cache.dir` in `.cairn/config` or `config.local` (relative paths are relative to `.cairn/`, as DVC's
///   `cache.dir` is relative to `.dvc/`): several clones on one machine share one cache.
/// - A linked worktree (`git worktree add`) uses its main work tree's `.cairn/cache`: no copy, no second pull.
/// - Otherwise `.cairn/cache`.
///
/// A shared cache gets its own lock (`<cache>/lock`, taken after the repository lock, in the same mode), and every
/// work tree that uses it is registered under `<cache>/worktrees/`, so that `gc` in any of them keeps what all of
/// them need. `cache.shared = group` makes what cairn writes there group-writable (umask 002, set-group-id
/// directories), for a cache shared by a team on one machine.
public struct CacheLocation: Sendable, Equatable {
    /// Absolute path of the store directory.
    public var directory: String
    /// True when other work trees may use the same store (cache.dir, or a linked worktree's main cache).
    public var isShared: Bool
    /// `cache.shared = group`.
    public var groupWritable: Bool

    static func resolve(root: String, dotCairn: String, git: GitRepository, config: RepoConfig) throws -> CacheLocation {
        let groupWritable = try sharedMode(config)
        if let raw = config.values["cache.dir"]?.trimmingWhitespace, !raw.isEmpty {
            let file = config.origins["cache.dir"] ?? Paths.join(dotCairn, "config")
            let directory = Paths.absolute(raw, cwd: dotCairn)
            if directory == root || (directory.hasPrefix(root + "/") && !directory.hasPrefix(dotCairn + "/")) {
                throw CairnError("\(file): cache.dir '\(raw)' is inside the work tree; Git would see the objects"
                    + " (use a folder outside it, or leave cache.dir unset for .cairn/cache)")
            }
            return CacheLocation(directory: directory, isShared: directory != Paths.join(dotCairn, "cache"),
                                 groupWritable: groupWritable)
        }
        if git.isLinkedWorktree, let main = mainWorktree(of: git) {
            let mainCairn = Paths.join(main, CairnRepository.directoryName)
            if FS.exists(Paths.join(mainCairn, "format")) {
                return CacheLocation(directory: Paths.join(mainCairn, "cache"), isShared: true,
                                     groupWritable: groupWritable)
            }
        }
        return CacheLocation(directory: Paths.join(dotCairn, "cache"), isShared: false, groupWritable: groupWritable)
    }

    /// The main work tree of a linked worktree: the folder holding the common `.git` directory (nil for a bare
    /// repository's worktrees, which have no main work tree).
    static func mainWorktree(of git: GitRepository) -> String? {
        guard Paths.basename(git.commonGitDir) == ".git" else { return nil }
        return Paths.parent(git.commonGitDir)
    }

    private static func sharedMode(_ config: RepoConfig) throws -> Bool {
        guard let raw = config.values["cache.shared"]?.trimmingWhitespace.lowercased(), !raw.isEmpty else {
            return false
        }
        switch raw {
        case "group": return true
        case "false", "none": return false
        default:
            let file = config.origins["cache.shared"] ?? ".cairn/config"
            throw CairnError("\(file): cache.shared must be 'group' (or unset), not '\(raw)'")
        }
    }
}
