/// A stage as `cairn stage add` writes it: the options of the command line, turned into a cairn.yaml block in DVC's
/// key order (desc, cmd, wdir, deps, params, outs, metrics, plots, always_changed), so a file written by `dvc stage
/// add` and one written by cairn look alike. Paths are written as given (relative to the cairn.yaml's directory, or
/// to `wdir` when set), as DVC writes them.
public struct StageDefinition: Sendable {
    public struct Output: Sendable, Equatable {
        public var path: String
        public var cache: Bool
        public var persist: Bool
        public init(path: String, cache: Bool = true, persist: Bool = false) {
            self.path = path
            self.cache = cache
            self.persist = persist
        }
    }

    public var name: String
    public var cmd: String
    public var wdir: String?
    public var deps: [String] = []
    /// Params file (nil = params.yaml) → keys, in the order given; keys nil = the whole file.
    public var params: [(file: String?, keys: [String]?)] = []
    public var outs: [Output] = []
    public var metrics: [Output] = []
    public var plots: [Output] = []
    public var alwaysChanged = false
    public var desc: String?

    public init(name: String, cmd: String) {
        self.name = name
        self.cmd = cmd
    }

    /// Adds one `-p` argument: `KEY1,KEY2` (params.yaml), `FILE:KEY1,KEY2`, or `FILE:` (the whole file). Keys of one
    /// file given in several arguments are merged.
    public mutating func addParams(_ argument: String) {
        var file: String?
        var keysText = Substring(argument)
        if let colon = argument.lastIndex(of: ":") {
            file = String(argument[..<colon])
            keysText = argument[argument.index(after: colon)...]
        }
        let keys = keysText.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        let newKeys: [String]? = (file != nil && keys.isEmpty) ? nil : keys
        if let i = params.firstIndex(where: { $0.file == file }) {
            if params[i].keys == nil || newKeys == nil {
                params[i].keys = nil
            } else {
                params[i].keys! += newKeys!.filter { !params[i].keys!.contains($0) }
            }
        } else {
            params.append((file, newKeys))
        }
    }

    /// The block for this stage: its key line at `indent` spaces, fields two spaces deeper. Lines end with "\n".
    public func render(indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        let field = pad + "  "
        var text = pad + YAMLText.key(name) + ":\n"
        if let desc { text += field + "desc: " + YAMLText.scalar(desc) + "\n" }
        text += field + "cmd: " + YAMLText.scalar(cmd) + "\n"
        if let wdir { text += field + "wdir: " + YAMLText.scalar(wdir) + "\n" }
        if !deps.isEmpty {
            text += field + "deps:\n" + deps.map { field + "- " + YAMLText.scalar($0) + "\n" }.joined()
        }
        var defaultKeys: [String] = []
        var files: [(file: String, keys: [String]?)] = []
        for entry in params {
            if let file = entry.file { files.append((file, entry.keys)) } else { defaultKeys += entry.keys ?? [] }
        }
        if !defaultKeys.isEmpty || !files.isEmpty {
            text += field + "params:\n" + defaultKeys.map { field + "- " + YAMLText.scalar($0) + "\n" }.joined()
            for (file, keys) in files {
                if let keys {
                    text += field + "- " + YAMLText.key(file) + ":\n" + keys.map { field + "    - " + YAMLText.scalar($0) + "\n" }.joined()
                } else {
                    text += field + "- " + YAMLText.key(file) + ":\n"
                }
            }
        }
        for (key, list) in [("outs", outs), ("metrics", metrics), ("plots", plots)] where !list.isEmpty {
            text += field + key + ":\n"
            for out in list {
                if out.cache && !out.persist {
                    text += field + "- " + YAMLText.scalar(out.path) + "\n"
                } else {
                    text += field + "- " + YAMLText.key(out.path) + ":\n"
                    if !out.cache { text += field + "    cache: false\n" }
                    if out.persist { text += field + "    persist: true\n" }
                }
            }
        }
        if alwaysChanged { text += field + "always_changed: true\n" }
        return text
    }

    /// Every path of the stage as the user gave it, with its option, to refuse one given twice before writing
    /// (DVC's ArgumentDuplicationError).
    public var duplicatePath: String? {
        var seen = Set<String>()
        for path in deps + (outs + metrics + plots).map(\.path) {
            let normal = path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
            if !seen.insert(normal).inserted { return path }
        }
        return nil
    }
}
