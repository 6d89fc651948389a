import ArgumentParser
import Basics
import Sync
import Workspace

struct RemoteList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the remotes: NAME<TAB>URL, the default marked '(default)'.",
        discussion: "Secret values are shown as ****.")

    @Flag(name: .shortAndLong, help: "Also print every setting of each remote.")
    var verbose = false

    @Flag(help: "Print machine-readable JSON.")
    var json = false

    struct Entry: Encodable {
        var name: String
        var url: String?
        var isDefault: Bool
        var options: [String: String]

        enum CodingKeys: String, CodingKey { case name, url, isDefault = "default", options }
    }

    func run() throws {
        let config = try RemoteCommandSupport.files().load()
        let remotes = RemoteConfiguration.listing(config: config)
        if json {
            let entries = remotes.map { remote in
                Entry(name: remote.name, url: remote.url, isDefault: remote.isDefault,
                      options: remote.options.reduce(into: [:]) { masked, option in
                          masked[option.key] = RemoteConfiguration.displayed(option.value, key: option.key)
                      })
            }
            Terminal.stdout(try JSONOutput.encode(entries))
            return
        }
        for remote in remotes {
            Terminal.stdout("\(remote.name)\t\(remote.url ?? "(no url)")\(remote.isDefault ? " (default)" : "")")
            guard verbose else { continue }
            for key in remote.options.keys.sorted() {
                let value = RemoteConfiguration.displayed(remote.options[key] ?? "", key: key)
                Terminal.stdout("  \(key) = \(value)")
            }
        }
    }
}
