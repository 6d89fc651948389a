import Basics
import Workspace
import GitBridge
#if canImport(Glibc)
import Glibc
#endif

/// Which config file a setting is written to.
public enum ConfigScope: Sendable {
    /// `.cairn/config`: committed to Git, shared with everyone who clones.
    case shared
    /// `.cairn/config.local`: ignored by Git, for secrets and personal settings; it wins over `.cairn/config`.
    case local

    public var displayName: String { self == .shared ? ".cairn/config" : ".cairn/config.local" }
    var fileName: String { self == .shared ? "config" : "config.local" }
    /// config.local holds secrets, so only its owner may read it.
    var mode: mode_t { self == .shared ? 0o644 : 0o600 }
}

/// The two config files of one repository, found from the working directory. Changing them takes the
/// repository's exclusive lock (`.cairn/lock`) directly rather than opening the whole repository: a config
/// edit needs neither the object store nor the temp sweep.
public struct RemoteConfigurationFiles: Sendable {
    public let dotCairn: String

    public init(dotCairn: String) { self.dotCairn = dotCairn }

    /// The repository that contains `cwd`; a clear error outside Git or before `cairn init`.
    public static func locate(cwd: String) throws -> RemoteConfigurationFiles {
        let git = try GitRepository.discover(startingAt: cwd)
        let dotCairn = Paths.join(git.workdir, CairnRepository.directoryName)
        guard FS.isDirectory(dotCairn) else {
            throw CairnError("not a cairn repository: run 'cairn init' in \(git.workdir)")
        }
        try CairnRepository.checkFormat(dotCairn)
        return RemoteConfigurationFiles(dotCairn: dotCairn)
    }

    /// Both files merged, as every command reads them. Writes are atomic renames, so no lock is needed to read.
    public func load() throws -> RepoConfig { try RepoConfig.load(dotCairn: dotCairn) }

    func path(_ scope: ConfigScope) -> String { Paths.join(dotCairn, scope.fileName) }

    /// Runs `body` on editors of both files while holding the exclusive lock, then writes each file whose text
    /// changed, atomically. A missing file starts empty and is created only if something is written to it.
    func edit<T>(_ body: (inout ConfigEditors) throws -> T) throws -> T {
        let lock = try FileLock(path: Paths.join(dotCairn, "lock"), mode: .exclusive)
        defer { withExtendedLifetime(lock) {} }
        let sharedText = try StructuredFileLoader.readText(path(.shared), display: path(.shared), limits: .config) ?? ""
        let localText = try StructuredFileLoader.readText(path(.local), display: path(.local), limits: .config) ?? ""
        var editors = ConfigEditors(shared: try ConfigFileEditor(text: sharedText, file: path(.shared)),
                                    local: try ConfigFileEditor(text: localText, file: path(.local)))
        let result = try body(&editors)
        for (scope, before) in [(ConfigScope.shared, sharedText), (.local, localText)] {
            let after = editors[scope].text
            let normalizedBefore = try ConfigFileEditor(text: before, file: path(scope)).text
            guard after != normalizedBefore else { continue }
            try FS.writeAtomically(path(scope), after, mode: scope.mode)
        }
        return result
    }
}

/// The editors of `.cairn/config` and `.cairn/config.local` during one locked edit.
struct ConfigEditors {
    var shared: ConfigFileEditor
    var local: ConfigFileEditor

    subscript(scope: ConfigScope) -> ConfigFileEditor {
        get { scope == .shared ? shared : local }
        set { if scope == .shared { shared = newValue } else { local = newValue } }
    }

    /// What RepoConfig.load would read after the edits so far.
    func merged() throws -> RepoConfig {
        var config = RepoConfig()
        config.merge(try shared.values(), from: shared.file)
        config.merge(try local.values(), from: local.file)
        return config
    }

    /// Whether `name` is configured in either file (an empty `[remote "NAME"]` header counts: it is taken).
    func hasRemote(_ name: String) throws -> Bool {
        let section = "remote.\(name)"
        if shared.hasSection(section) || local.hasSection(section) { return true }
        return RemoteConfiguration.names(config: try merged()).contains(name)
    }
}
