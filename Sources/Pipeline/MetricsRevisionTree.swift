#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Basics
import GitBridge
import Workspace

/// The files of one side of a params/metrics/plots comparison: the work tree, or a commit read from Git blobs
/// (through GitBridge, never the git CLI). A file missing on a side is "absent" (nil), not an error: a metric
/// added in the work tree has no old value, which is what the diff must show.
public struct RevisionTree: Sendable {
    /// `empty`: the side before the first commit (HEAD of a new repository), where every file is absent.
    public enum Source: Sendable { case workTree, commit(CommitInfo), empty }

    /// Params, metrics and plot data are small structured files; larger ones are refused per file, as the
    /// pipeline reader refuses cairn.yaml over the same limit.
    public static let maxFileSize = PipelineFileReader.maxFileSize

    public let source: Source
    /// How tables and JSON name this side: "workspace" (as DVC does) or the revision as the user wrote it.
    public let label: String
    let git: GitRepository
    let root: String
    /// Reads an output recorded in a commit's cairn.lock from the local cache (`RevisionTree+Cache`): a metrics
    /// or plots file with `cache: true` is git-ignored, so Git alone does not have it at that commit.
    public var cachedOutputs: CachedOutputReader?
    /// Every file path of the commit, listed on first need: metrics absent from many old commits (`show -A`)
    /// would otherwise cost one whole-tree walk each.
    private let listing = Locked<[String]?>(nil)

    public static func workTree(git: GitRepository) -> RevisionTree {
        RevisionTree(source: .workTree, label: "workspace", git: git, root: git.workdir)
    }

    /// `revision` in git's syntax; an unknown revision is an error naming it.
    public static func commit(_ revision: String, git: GitRepository) throws -> RevisionTree {
        RevisionTree(source: .commit(try git.resolve(revision)), label: revision, git: git, root: git.workdir)
    }

    /// A side with no files, named `label` (HEAD before the first commit).
    public static func empty(_ label: String, git: GitRepository) -> RevisionTree {
        RevisionTree(source: .empty, label: label, git: git, root: git.workdir)
    }

    /// The side a command-line revision names: "workspace" is the work tree (as in DVC), HEAD of a repository
    /// without commits is empty, anything else a commit.
    public static func named(_ revision: String, git: GitRepository) throws -> RevisionTree {
        if revision == "workspace" { return workTree(git: git) }
        if revision == "HEAD", try git.head() == nil { return empty(revision, git: git) }
        return try commit(revision, git: git)
    }

    public var isWorkTree: Bool { if case .workTree = source { return true } else { return false } }

    /// "at commit 1a2b3c4" / "in the work tree", for messages.
    public var place: String {
        switch source {
        case .workTree: return "in the work tree"
        case .commit(let c): return "at commit \(c.shortSha)"
        case .empty: return "at \(label)"
        }
    }

    /// The bytes of the repo-relative `path`, or nil when there is no file there. The work tree is read as the
    /// hardened loader reads (regular files only, no symlinks, FIFOs or devices, size-limited); a blob's size is
    /// checked from its object header before it is read.
    public func read(_ path: String) throws -> [UInt8]? {
        switch source {
        case .workTree:
            return try StructuredFileLoader.readRegularFile(Paths.join(root, path), display: path,
                                                            limits: .init(maxBytes: Self.maxFileSize))
        case .commit(let commit):
            do {
                guard let bytes = try git.readFile(at: commit.sha, path: path, maxBytes: Self.maxFileSize) else {
                    return try readCachedOutput(path, commit: commit)
                }
                return bytes
            } catch let tooLarge as GitRepository.BlobTooLarge {
                throw CairnError("\(path): \(tooLarge.size) bytes at commit \(commit.shortSha) is over the limit of \(Self.maxFileSize) bytes for this file")
            }
        case .empty:
            return nil
        }
    }

    /// The file as UTF-8 text, or nil when absent.
    public func readText(_ path: String) throws -> String? {
        guard let bytes = try read(path) else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw CairnError("\(path): is not UTF-8 text") }
        return text
    }

    /// Repo-relative paths of the files under the directory `path` (recursively, sorted); empty when `path` is
    /// not a directory. Plots may name a directory of images or data files, as in DVC.
    public func files(under path: String) throws -> [String] {
        switch source {
        case .workTree:
            var found: [String] = []
            var pending = [path]
            while let rel = pending.popLast() {
                let abs = Paths.join(root, rel)
                guard let st = try FS.lstat(abs), st.isDirectory else { continue }
                for entry in try FS.listDirectory(abs) {
                    let child = rel + "/" + entry.name
                    guard let cst = try FS.lstat(Paths.join(root, child)) else { continue }
                    if cst.isDirectory { pending.append(child) } else if cst.isRegular { found.append(child) }
                }
            }
            return found.sorted()
        case .commit(let commit):
            // A file (the common case) is answered by one lookup; only a directory or nothing costs a tree walk.
            if try git.blobID(at: commit.sha, path: path) != nil { return [] }
            let prefix = path + "/"
            let all = try listing.withLock { cached in
                if let cached { return cached }
                let paths = try git.files(at: commit.sha, withSuffix: "").map(\.path)
                cached = paths
                return paths
            }
            return all.filter { $0.hasPrefix(prefix) }
        case .empty:
            return []
        }
    }

    var sha: String? { if case .commit(let c) = source { return c.sha } else { return nil } }
}
