import Basics
import Sync
import Workspace
import GitBridge

/// `cairn install-hooks` / `uninstall-hooks`. Never clobbers: a user's hook is moved aside (renamed, so its
/// bytes and mode are untouched) and cairn's script runs it first; uninstall renames it back.
public enum HookInstaller {
    /// One line per hook saying what was done.
    public static func install(git: GitRepository) throws -> [String] {
        let directory = try git.hooksDirectory
        try FS.makeDirectories(directory)
        // The scripts prefer `cairn` on PATH; this records the installing binary as the fallback, so hooks
        // also work for a cairn run from its build directory.
        if let binary = FS.realPath("/proc/self/exe") { try git.setConfig("cairn.binary", binary) }
        var report: [String] = []
        for name in HookScripts.names {
            let path = Paths.join(directory, name)
            let saved = Paths.join(directory, HookScripts.userHookName(name))
            let script = HookScripts.script(name)
            if try FS.lstat(path) != nil {
                if try isOurs(path, name) {
                    try FS.writeAtomically(path, script, mode: 0o755)
                    report.append("\(name): updated")
                    continue
                }
                if try FS.lstat(saved) != nil {
                    throw CairnError("\(saved): already exists, so \(path) cannot be moved aside; "
                        + "merge the two hooks by hand, then run install-hooks again")
                }
                try FS.rename(path, saved)
                try FS.writeAtomically(path, script, mode: 0o755)
                report.append("\(name): installed; your hook was kept as \(HookScripts.userHookName(name)) and runs first")
            } else {
                try FS.writeAtomically(path, script, mode: 0o755)
                report.append("\(name): installed")
            }
        }
        report.append(try LockMergeDriver.install(git: git))
        return report
    }

    public static func uninstall(git: GitRepository) throws -> [String] {
        let directory = try git.hooksDirectory
        try git.removeConfig("cairn.binary")
        var report: [String] = []
        for name in HookScripts.names {
            let path = Paths.join(directory, name)
            let saved = Paths.join(directory, HookScripts.userHookName(name))
            guard try FS.lstat(path) != nil else { continue }
            guard try isOurs(path, name) else {
                report.append("\(name): not cairn's hook; left as it is")
                continue
            }
            if try FS.lstat(saved) != nil {
                try FS.rename(saved, path)
                report.append("\(name): removed; your hook is back")
            } else {
                try FS.removeFile(path)
                report.append("\(name): removed")
            }
        }
        if let line = try LockMergeDriver.uninstall(git: git) { report.append(line) }
        return report
    }

    /// Ours when the marker line is among the first lines (a symlink or unreadable file is never ours).
    static func isOurs(_ path: String, _ name: String) throws -> Bool {
        guard let st = try FS.lstat(path), st.isRegular, st.size < 64 << 10 else { return false }
        let text = String(decoding: try FS.readAll(path), as: UTF8.self)
        return text.split(separator: "\n").prefix(3).contains { $0 == HookScripts.marker(name) }
    }
}
