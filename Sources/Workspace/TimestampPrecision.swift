import Basics
import Lineage

/// How long after a file's mtime its stat-cache entry can be trusted (git's racy-git problem; see
/// docs/formats.md, "The stat cache"). A second rewrite can keep the same mtime only within one tick of the
/// kernel's coarse clock (a few ms) on a local file system with nanosecond timestamps, so a 100 ms margin is
/// safe there; right after `cp -r` or a checkout this keeps status from re-reading most files. Network and
/// FUSE file systems stamp files with another machine's clock, and some file systems keep whole seconds:
/// for those the conservative one-second margin stays.
enum TimestampPrecision {
    static let localMarginNs: Int64 = 100_000_000

    static func racyMargin(forDirectory path: String) -> Int64 {
        let local: Set<String> = ["ext4", "ext3", "ext2", "xfs", "btrfs", "tmpfs", "f2fs", "zfs", "overlay"]
        guard let type = fileSystemType(of: path) else { return StatCache.racyMarginNs }
        return local.contains(type) ? localMarginNs : StatCache.racyMarginNs
    }

    /// The type of the file system holding `path`: the longest mount point in /proc/self/mounts that contains it.
    static func fileSystemType(of path: String) -> String? {
        guard let text = try? FS.readString("/proc/self/mounts") else { return nil }
        var best: (length: Int, type: String)?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            // Mount points escape spaces as \040; such mounts simply never match a path here.
            let mountPoint = String(fields[1])
            let inside = mountPoint == "/" || path == mountPoint || path.hasPrefix(mountPoint + "/")
            if inside && mountPoint.count >= (best?.length ?? -1) { best = (mountPoint.count, String(fields[2])) }
        }
        return best?.type
    }

    /// The margin for one entry: a whole-second mtime means a coarse file system, whatever statfs said.
    static func margin(for entry: StatCacheEntry, directoryMargin: Int64) -> Int64 {
        entry.stat.mtimeNs % 1_000_000_000 == 0 ? max(directoryMargin, 2 * StatCache.racyMarginNs) : directoryMargin
    }
}
