import Basics
import Workspace
import Remotes

/// The changes behind `cairn remote add/remove/default/modify/rename`. Each one runs under the repository's
/// exclusive lock, checks against both files as they are now, edits the text in place and writes atomically.
/// Those that can be overridden by the other file return a warning to print.
extension RemoteConfiguration {
    /// Adds `[remote "NAME"] url = URL` to the file of `scope`. `force` replaces an existing remote of that name
    /// (in both files, as remove + add would; the default stays); `makeDefault` also sets core.remote there.
    @discardableResult
    public static func add(name: String, url: String, scope: ConfigScope, force: Bool, makeDefault: Bool,
                           files: RemoteConfigurationFiles) throws -> String? {
        try checkName(name)
        let urlText = url.trimmingCharacters()
        _ = try parseURL(urlText, remote: name)
        return try files.edit { editors in
            let section = "remote.\(name)"
            if try editors.hasRemote(name) {
                guard force else {
                    let existing = rawSettings(name, config: try editors.merged())["url"].map { " (url \($0))" } ?? ""
                    throw CairnError("remote '\(name)' already exists\(existing); use --force to replace it")
                }
                try editors.shared.removeSection(section)
                try editors.local.removeSection(section)
            }
            try editors[scope].set(section: section, key: "url", value: urlText)
            guard makeDefault else { return nil }
            try editors[scope].set(section: "core", key: "remote", value: name)
            return overriddenDefaultWarning(editors, scope: scope, name: name)
        }
    }

    /// Deletes the remote's sections from both files, and core.remote wherever it names this remote.
    public static func remove(name: String, files: RemoteConfigurationFiles) throws {
        try files.edit { editors in
            guard try editors.hasRemote(name) else { throw notConfigured(name) }
            for scope in [ConfigScope.shared, .local] {
                try editors[scope].removeSection("remote.\(name)")
                if editors[scope].value(section: "core", key: "remote")?.trimmingCharacters() == name {
                    try editors[scope].unset(section: "core", key: "remote")
                }
            }
        }
    }

    /// Sets core.remote in the file of `scope`; the remote must exist.
    @discardableResult
    public static func setDefault(name: String, scope: ConfigScope, files: RemoteConfigurationFiles) throws -> String? {
        try files.edit { editors in
            guard try editors.hasRemote(name) else { throw notConfigured(name) }
            try editors[scope].set(section: "core", key: "remote", value: name)
            return overriddenDefaultWarning(editors, scope: scope, name: name)
        }
    }

    /// Removes core.remote from the file of `scope` (nothing to do is not an error).
    @discardableResult
    public static func unsetDefault(scope: ConfigScope, files: RemoteConfigurationFiles) throws -> String? {
        try files.edit { editors in
            try editors[scope].unset(section: "core", key: "remote")
            guard scope == .shared, let other = editors.local.value(section: "core", key: "remote") else { return nil }
            return "\(ConfigScope.local.displayName) still sets the default remote to '\(other)'"
                + " (cairn remote default --local --unset removes it)"
        }
    }

    /// `cairn remote modify NAME KEY VALUE`: the key must suit the remote's kind, secrets only go to config.local.
    public static func set(name: String, key rawKey: String, value: String, scope: ConfigScope,
                           files: RemoteConfigurationFiles) throws {
        let key = rawKey.lowercased()
        try files.edit { editors in
            guard try editors.hasRemote(name) else { throw notConfigured(name) }
            let config = try editors.merged()
            let kind: RemoteURL.Kind
            if key == "url" {
                kind = try parseURL(value, remote: name).kind
            } else {
                guard let urlText = rawSettings(name, config: config)["url"] else {
                    throw CairnError("remote '\(name)' has no url; set it first: cairn remote modify \(name) url URL")
                }
                kind = try currentKind(name, urlText: urlText, config: config)
            }
            try checkKey(key, remote: name, kind: kind)
            if isSecret(key) && scope == .shared {
                throw CairnError("'\(key)' is a secret and would be committed with \(ConfigScope.shared.displayName);"
                    + " use: cairn remote modify --local \(name) \(key) ...")
            }
            try checkValue(value, key: key, remote: name)
            if key == "url" { try checkOptionsSuit(kind, remote: name, config: config) }
            let stored = key == "url" ? value.trimmingCharacters() : value   // as `add` stores it
            try editors[scope].set(section: "remote.\(name)", key: key, value: stored)
        }
    }

    /// `cairn remote modify --unset NAME KEY`: removes KEY from the file of `scope`. Any key may be removed
    /// (so a hand-made typo can be cleaned up), but the remote must keep a url.
    public static func unset(name: String, key rawKey: String, scope: ConfigScope,
                             files: RemoteConfigurationFiles) throws {
        let key = rawKey.lowercased()
        try files.edit { editors in
            guard try editors.hasRemote(name) else { throw notConfigured(name) }
            let section = "remote.\(name)"
            guard try editors[scope].unset(section: section, key: key) else {
                let other: ConfigScope = scope == .shared ? .local : .shared
                let hint = editors[other].value(section: section, key: key) == nil ? ""
                    : "; it is set in \(other.displayName)\(other == .local ? " (add --local)" : " (drop --local)")"
                throw CairnError("remote '\(name)': '\(key)' is not set in \(scope.displayName)\(hint)")
            }
            if try key == "url" && rawSettings(name, config: editors.merged())["url"] == nil {
                throw CairnError("remote '\(name)': 'url' cannot be unset, a remote needs one;"
                    + " to delete the remote: cairn remote remove \(name)")
            }
            // A header left without entries says nothing; drop it so config.local does not fill with them.
            if try !editors[scope].values().keys.contains(where: { $0.hasPrefix(section + ".") }) {
                try editors[scope].removeSection(section)
            }
        }
    }

    /// Renames the remote's sections in both files and moves core.remote along.
    public static func rename(from old: String, to new: String, files: RemoteConfigurationFiles) throws {
        try checkName(new)
        try files.edit { editors in
            guard try editors.hasRemote(old) else { throw notConfigured(old) }
            if try editors.hasRemote(new) { throw CairnError("remote '\(new)' already exists") }
            for scope in [ConfigScope.shared, .local] {
                try editors[scope].renameSection("remote.\(old)", to: "remote.\(new)")
                if editors[scope].value(section: "core", key: "remote")?.trimmingCharacters() == old {
                    try editors[scope].set(section: "core", key: "remote", value: new)
                }
            }
        }
    }

    private static func currentKind(_ name: String, urlText: String, config: RepoConfig) throws -> RemoteURL.Kind {
        do {
            return try parseURL(urlText, remote: name).kind
        } catch let error as CairnError {
            let file = config.origins["remote.\(name).url"] ?? "the cairn config"
            throw CairnError("\(file): \(error.message); fix it first: cairn remote modify \(name) url URL")
        }
    }

    /// A new url may change the kind; keys of the old kind would then be refused at every push, so say it now.
    private static func checkOptionsSuit(_ kind: RemoteURL.Kind, remote: String, config: RepoConfig) throws {
        let valid = validKeys(for: kind)
        for key in rawSettings(remote, config: config).keys.sorted() where !valid.contains(key) {
            let origin = config.origins["remote.\(remote).\(key)"]
            let local = origin?.hasSuffix(ConfigScope.local.fileName) == true ? " --local" : ""
            throw CairnError("remote '\(remote)': '\(key)'\(origin.map { " (in \($0))" } ?? "") does not apply to"
                + " \(kindName(kind)) remotes; remove it first: cairn remote modify\(local) --unset \(remote) \(key)")
        }
    }

    private static func overriddenDefaultWarning(_ editors: ConfigEditors, scope: ConfigScope, name: String) -> String? {
        guard scope == .shared, let other = editors.local.value(section: "core", key: "remote"),
              other.trimmingCharacters() != name else { return nil }
        return "\(ConfigScope.local.displayName) sets the default remote to '\(other)', which overrides this"
            + " (cairn remote default --local --unset removes it)"
    }
}
