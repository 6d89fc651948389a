import Basics
import Workspace
import Remotes

/// One remote as the push/pull layer needs it: checked once here, so every later step can trust it.
public struct ConfiguredRemote: Sendable, Equatable {
    public var name: String
    public var url: RemoteURL
    /// Every `remote.NAME.*` key except `url` (keys lowercased), config.local over config.
    public var options: [String: String]

    public init(name: String, url: RemoteURL, options: [String: String]) {
        self.name = name
        self.url = url
        self.options = options
    }
}

/// A remote as `cairn remote list` shows it: the raw settings, without the checks, so a broken entry can still
/// be seen (and fixed) instead of hiding every other remote behind one error.
public struct RemoteListing: Sendable, Equatable {
    public var name: String
    public var url: String?
    public var isDefault: Bool
    public var options: [String: String]
}

/// The remotes configured in `[remote "NAME"]` sections of `.cairn/config` and `.cairn/config.local`, and the
/// default one (`core.remote`). Reading is here; changing is in RemoteConfiguration+Editing.swift; the rules for
/// names, keys and values are in RemoteConfigurationRules.swift.
public enum RemoteConfiguration {
    /// nil `name` → the default remote. Errors are one line and name the config file when a value is bad.
    public static func remote(named name: String?, config: RepoConfig) throws -> ConfiguredRemote {
        guard let chosen = name ?? defaultName(config: config) else {
            throw CairnError("no default remote: pass -r NAME or run `cairn remote default NAME`")
        }
        guard names(config: config).contains(chosen) else {
            if name == nil {
                throw CairnError("remote '\(chosen)' (the default, core.remote) is not configured;"
                    + " `cairn remote list` shows them")
            }
            throw notConfigured(chosen)
        }
        return try checked(chosen, config: config)
    }

    public static func defaultName(config: RepoConfig) -> String? {
        guard let name = config.values["core.remote"]?.trimmingWhitespace, !name.isEmpty else { return nil }
        return name
    }

    /// Every configured remote, sorted by name; the first bad one is an error.
    public static func all(config: RepoConfig) throws -> [ConfiguredRemote] {
        try grouped(config: config).sorted { $0.key < $1.key }.map { try checked($0.key, settings: $0.value, config: config) }
    }

    /// Every configured remote, sorted by name, unchecked (for `cairn remote list`).
    public static func listing(config: RepoConfig) -> [RemoteListing] {
        let defaultRemote = defaultName(config: config)
        // One pass over the keys: looking each remote's settings up separately is quadratic (8k remotes: a minute).
        return grouped(config: config).sorted { $0.key < $1.key }.map { name, settings in
            var settings = settings
            let url = settings.removeValue(forKey: "url")
            return RemoteListing(name: name, url: url, isDefault: name == defaultRemote, options: settings)
        }
    }

    /// Every remote's settings, by remote name, in one pass over the configuration.
    static func grouped(config: RepoConfig) -> [String: [String: String]] {
        var remotes: [String: [String: String]] = [:]
        for (fullKey, value) in config.values {
            if let (name, key) = split(fullKey) { remotes[name, default: [:]][key] = value }
        }
        return remotes
    }

    /// What `list -v` and `--json` print for a value: secrets never leave the config files.
    public static func displayed(_ value: String, key: String) -> String { isSecret(key) ? "****" : value }

    static func notConfigured(_ name: String) -> CairnError {
        CairnError("remote '\(name)' is not configured; `cairn remote list` shows them")
    }

    /// Remote names that have at least one key, sorted.
    static func names(config: RepoConfig) -> [String] {
        var names = Set<String>()
        for key in config.values.keys {
            if let (name, _) = split(key) { names.insert(name) }
        }
        return names.sorted()
    }

    /// `remote.my.store.url` → ("my.store", "url"): names may contain dots, keys never do.
    static func split(_ fullKey: String) -> (name: String, key: String)? {
        guard fullKey.hasPrefix("remote."), let dot = fullKey.lastIndex(of: ".") else { return nil }
        let nameStart = fullKey.index(fullKey.startIndex, offsetBy: "remote.".count)
        guard dot > nameStart else { return nil }
        return (String(fullKey[nameStart..<dot]), String(fullKey[fullKey.index(after: dot)...]))
    }

    static func rawSettings(_ name: String, config: RepoConfig) -> [String: String] {
        var settings: [String: String] = [:]
        for (fullKey, value) in config.values {
            if let (remote, key) = split(fullKey), remote == name { settings[key] = value }
        }
        return settings
    }

    /// Applies the same rules as `cairn remote add/modify` to what is in the files (which may have been edited by
    /// hand), naming the file that holds a bad value.
    static func checked(_ name: String, config: RepoConfig) throws -> ConfiguredRemote {
        try checked(name, settings: rawSettings(name, config: config), config: config)
    }

    static func checked(_ name: String, settings: [String: String], config: RepoConfig) throws -> ConfiguredRemote {
        var options = settings
        let section = "remote.\(name)."
        guard let urlText = options.removeValue(forKey: "url") else {
            let file = config.origins.first { $0.key.hasPrefix(section) }?.value ?? "the cairn config"
            throw CairnError("\(file): remote '\(name)' has no url; set one: cairn remote modify \(name) url URL")
        }
        let url = try inFile(config, section + "url") { try parseURL(urlText, remote: name) }
        for key in options.keys.sorted() {
            try inFile(config, section + key) {
                try checkKey(key, remote: name, kind: url.kind)
                try checkValue(options[key] ?? "", key: key, remote: name)
            }
        }
        return ConfiguredRemote(name: name, url: url, options: options)
    }

    private static func inFile<T>(_ config: RepoConfig, _ fullKey: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CairnError {
            let file = config.origins[fullKey] ?? "the cairn config"
            throw CairnError("\(file): \(error.message)", exitCode: error.exitCode)
        }
    }
}
