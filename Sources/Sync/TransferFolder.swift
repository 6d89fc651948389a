import Basics
import Workspace
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private scratch folder for one transfer, `<cache>/transfer/<pid>-<random>/`: packs being built for
/// upload, packs being downloaded. Push holds only the shared repository lock, so it cannot use the store's
/// tmp/ (an exclusive holder sweeps it); folders of processes that died are removed by the next transfer. It sits
/// inside the cache folder so that a downloaded pack is adopted by a rename on the same file system, also when
/// `cache.dir` puts the cache on another disk.
final class TransferFolder: Sendable {
    let path: String

    init(cacheDirectory: String) throws {
        let base = Paths.join(cacheDirectory, "transfer")
        try FS.makeDirectories(base)
        TransferFolder.removeAbandoned(in: base)
        path = Paths.join(base, "\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FS.makeDirectories(path)
    }

    func file(_ name: String) -> String { Paths.join(path, name) }

    /// Removes the folder and everything in it.
    func remove() {
        try? FS.removeTree(path)
    }

    /// Folders whose process is gone (kill -9, power loss) are left behind; they only hold copies of objects.
    private static func removeAbandoned(in base: String) {
        guard let entries = try? FS.listDirectory(base) else { return }
        for (name, _) in entries {
            guard let pid = Int32(name.split(separator: "-").first ?? ""), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? FS.removeTree(Paths.join(base, name)) }
        }
    }
}
