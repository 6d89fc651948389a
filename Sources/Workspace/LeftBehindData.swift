import Basics
import GitBridge
import ObjectStore

/// Data a commit tracked that the commit now checked out no longer tracks (a branch switch to a branch without
/// it). Git removes the files it stops tracking; cairn does the same for data: the work-tree copy is removed
/// when its content is safely in the cache (nothing is lost: the old commit's pointer still names it), and
/// kept, with a warning, when it holds changes the cache does not have. Kept data stays git-ignored (through
/// `info/exclude`, as the new commit's .gitignore may not name it), so `git add -A` cannot put it into Git.
///
/// How cairn learns what was tracked before: the post-checkout hook gets the old HEAD from Git (and post-merge
/// reads ORIG_HEAD); a plain `cairn checkout` reads the reflog, and acts only when HEAD's last move was a branch
/// switch (see `GitRepository.lastBranchSwitch`).
public enum LeftBehindData {
    public struct Result: Sendable {
        /// Data paths removed from the work tree.
        public var removed: [String] = []
        /// Data paths kept because they hold changes not in the cache.
        public var kept: [String] = []
    }

    /// The pointers of `revision` (a sha, "ORIG_HEAD" ...), or none when it names no commit (an all-zero sha
    /// from `git clone`, a missing ORIG_HEAD).
    public static func pointers(at revision: String, repo: CairnRepository) -> [TrackedData] {
        guard revision.contains(where: { $0 != "0" }), let commit = try? repo.git.resolve(revision) else { return [] }
        return (try? RevisionPointers.load(git: repo.git, commit: commit, strict: false, warn: { _ in })) ?? []
    }

    /// The pointers of the commit HEAD was switched away from, when HEAD's last move was a branch switch.
    public static func pointersBeforeLastSwitch(repo: CairnRepository) -> [TrackedData] {
        guard let move = try? repo.git.lastBranchSwitch(), move.from != move.to else { return [] }
        return pointers(at: move.from, repo: repo)
    }

    /// Removes or keeps (see the type's comment) the data of `previous` that the work tree's pointers no
    /// longer track. `warn` gets one line per kept path.
    public static func clean(repo: CairnRepository, previous: [TrackedData],
                             warn: (String) -> Void = { Diagnostics.warning($0) }) throws -> Result {
        var result = Result()
        guard !previous.isEmpty else { return result }
        let identifier = try repo.makeFileIdentifier()
        defer { identifier.save() }
        // One lstat per previous pointer in the common case (the data is still tracked, or already gone),
        // rather than a scan of the work tree for every pointer.
        for old in previous where !FS.exists(repo.absolute(old.dataPath + PointerFile.suffix)) {
            let path = old.dataPath
            let abs = repo.absolute(path)
            guard let st = try FS.lstat(abs) else { continue }
            // Still tracked, by a lock file now (or one that cannot be read, which might name it): not left behind.
            if (try? RecordedData.covering(path, root: repo.root))?.isEmpty != true { continue }
            // Overlapping with data tracked now (a parent or a child of it): the checkout owns that place.
            if TargetResolver.trackedAncestor(of: path, root: repo.root) != nil { continue }
            if RecordedData.owner(of: path, root: repo.root) != nil { continue }
            if st.isDirectory {
                let inside = try PointerScanner.find(root: repo.root, under: path)
                if !inside.pointers.isEmpty || !inside.records.isEmpty { continue }
                if (try? RecordedData.covering(path, root: repo.root, inside: true))?.isEmpty != true { continue }
            }
            // Git tracks it at this commit: the file is Git's now.
            if try repo.git.isTracked(path) { continue }
            if try isInCache(path, stat: st, repo: repo, identifier: identifier) {
                try FS.removeTree(abs)
                var parent = Paths.parent(path)
                while !parent.isEmpty && FS.removeEmptyDirectory(repo.absolute(parent)) { parent = Paths.parent(parent) }
                result.removed.append(path)
            } else {
                try GitignoreFile.excludeLocally(dataPath: path, commonGitDir: repo.git.commonGitDir)
                result.kept.append(path)
                warn("\(path): no longer tracked at this commit, but kept: it has changes that are not in the cache;"
                    + " Git ignores it (.git/info/exclude); `cairn add \(Shell.quoted(path))` tracks it here,"
                    + " or delete it")
            }
        }
        return result
    }

    /// True when everything at `path` is content the cache holds: a regular file, or a directory of regular
    /// files only (a link or special file cannot be brought back from the cache).
    private static func isInCache(_ path: String, stat st: FileStat, repo: CairnRepository,
                                  identifier: FileIdentifier) throws -> Bool {
        let observed = FS.nowNs()
        if st.isRegular {
            return repo.store.hasFile(try identifier.hash(path, absolute: repo.absolute(path), stat: st, observedNs: observed))
        }
        guard st.isDirectory else { return false }
        let scan = try DirectoryScanner.scan(repo.absolute(path))
        guard scan.symlinks.isEmpty, scan.special.isEmpty else { return false }
        for file in scan.files {
            let id = try identifier.hash(path + "/" + file.path, absolute: repo.absolute(path) + "/" + file.path,
                                         stat: file.stat, observedNs: observed)
            if !repo.store.hasFile(id) { return false }
        }
        return true
    }
}
