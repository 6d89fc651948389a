import Basics
import Remotes

// Temporary stand-in, replaced by the remote-configuration branch (same public API).
public struct ConfiguredRemote: Sendable, Equatable {
    public var name: String
    public var url: RemoteURL
    public var options: [String: String]
}

public enum RemoteConfiguration {
    public static func remote(named: String?, config: RepoConfig) throws -> ConfiguredRemote {
        guard let name = named ?? defaultName(config: config) else {
            throw CairnError("no default remote: pass -r NAME or run `cairn remote default NAME`")
        }
        guard let url = config.values["remote.\(name).url"] else {
            throw CairnError("remote '\(name)' is not configured; `cairn remote list` shows them")
        }
        var options: [String: String] = [:]
        for (key, value) in config.values where key.hasPrefix("remote.\(name).") && key != "remote.\(name).url" {
            options[String(key.dropFirst("remote.\(name).".count))] = value
        }
        return ConfiguredRemote(name: name, url: try RemoteURL.parse(url), options: options)
    }

    public static func defaultName(config: RepoConfig) -> String? { config.values["core.remote"] }
}
