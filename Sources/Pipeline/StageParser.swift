import Basics

/// One stage body (a plain stage, a foreach `do:`, or a matrix template) → a resolved `Stage`. Follows DVC's
/// order: `wdir` is resolved first, the stage's `vars` are loaded relative to it, then every other key is
/// interpolated and checked.
struct StageParser {
    static let stageKeys = ["cmd", "wdir", "deps", "params", "outs", "metrics", "plots", "vars", "frozen",
                            "always_changed", "desc", "meta"]
    static let defaultParamsFile = "params.yaml"

    var root: String
    /// Repo-relative directory of the cairn.yaml.
    var directory: String
    var options: InterpolationOptions

    func parse(name: String, group: String?, memberKey: String?, body: [(key: String, keyLine: Int, value: SourceNode)],
               line: Int, context: VarsContext, at location: SourceLocation) throws -> Stage {
        try SchemaReader.checkKeys(body, allowed: Self.stageKeys, at: location)
        guard body.contains(where: { $0.key == "cmd" }) else {
            throw SourceLocation(file: location.file, line: line, keyPath: location.keyPath).error("missing required key 'cmd'")
        }
        var resolver = TemplateResolver(context: context, options: options)
        func field(_ key: String) -> (node: SourceNode, at: SourceLocation)? {
            body.first { $0.key == key }.map { ($0.value, location.child(key, line: $0.keyLine)) }
        }

        var wdir = directory
        if let (node, here) = field("wdir"), !node.isNull {
            let written = try SchemaReader.string(try resolver.resolve(node, field: "wdir", at: here), at: here, what: "a directory path")
            wdir = try PipelinePaths.resolve(written, in: directory, at: here)
        }
        if let (node, here) = field("vars") {
            try TemplateResolver.refuseInterpolation(node, at: here)
            for (index, item) in try SchemaReader.list(node, at: here, what: "a list of files and mappings").enumerated() {
                if let path = item.stringValue {
                    try resolver.context.loadFile(path, directory: wdir, root: root, at: here.at(item))
                } else if case .map(let map) = item.value {
                    try resolver.context.loadInline(map, name: "\(here.keyPath)[\(index)]", at: here.at(item))
                } else {
                    throw here.at(item).error("expected a file name or a mapping, got \(item.typeDescription)")
                }
            }
        }

        var stage = Stage(name: name, group: group, memberKey: memberKey, line: line, commands: [], cmd: .null, wdir: wdir,
                          deps: [], outs: [], params: [], frozen: false, alwaysChanged: false, desc: nil, meta: nil,
                          interpolatedParams: [:])
        for (key, keyLine, raw) in body where key != "vars" && key != "wdir" {
            let here = location.child(key, line: keyLine)
            let node = try resolver.resolve(raw, field: key, at: here)
            switch key {
            case "cmd": (stage.cmd, stage.commands) = try Self.commands(node, at: here)
            case "deps":
                stage.deps = try SchemaReader.list(node, at: here, what: "a list of paths").map { item in
                    try PipelinePaths.resolveEntry(try SchemaReader.string(item, at: here, what: "a list of paths"), in: wdir, at: here.at(item))
                }
            case "params": stage.params = try Self.params(node, wdir: wdir, at: here)
            case "outs": stage.outs += try OutputParser.parse(node, kind: .out, wdir: wdir, at: here)
            case "metrics": stage.outs += try OutputParser.parse(node, kind: .metric, wdir: wdir, at: here)
            case "plots": stage.outs += try OutputParser.parse(node, kind: .plot, wdir: wdir, at: here)
            case "frozen": stage.frozen = try SchemaReader.bool(node, at: here)
            case "always_changed": stage.alwaysChanged = try SchemaReader.bool(node, at: here)
            case "desc": stage.desc = try SchemaReader.string(node, at: here)
            case "meta": stage.meta = node.value
            default: break
            }
        }
        // outs, then metrics, then plots, whatever order the keys were written in.
        let order: [StageOutput.Kind: Int] = [.out: 0, .metric: 1, .plot: 2]
        stage.outs = stage.outs.enumerated().sorted { (order[$0.element.kind]!, $0.offset) < (order[$1.element.kind]!, $1.offset) }.map(\.element)
        stage.interpolatedParams = resolver.context.used
        return stage
    }

    /// `cmd`: a string (one command per line, as Python's splitlines) or a non-empty list of strings.
    static func commands(_ node: SourceNode, at location: SourceLocation) throws -> (ParamValue, [String]) {
        if let items = node.listItems {
            guard !items.isEmpty else { throw location.error("expected a command or a list of commands, got an empty list") }
            let list = try items.map { try SchemaReader.string($0, at: location, what: "a list of commands (strings)") }
            return (.list(list.map(ParamValue.string)), list)
        }
        let text = try SchemaReader.string(node, at: location, what: "a command or a list of commands")
        let lines = splitLines(text).filter { !$0.trimmingSpaces.isEmpty }
        guard !lines.isEmpty else { throw location.error("the command is empty") }
        return (.string(text), lines)
    }

    static func splitLines(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for c in text {  // "\r\n" is one Character in Swift, so it splits once
            if c.isNewline { out.append(current); current = "" } else { current.append(c) }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// DVC's `_merge_params`: bare keys belong to params.yaml in the wdir; `FILE: [keys]` names other files;
    /// `FILE:` with nothing tracks the whole file, and then bare keys for that file are ignored.
    static func params(_ node: SourceNode, wdir: String, at location: SourceLocation) throws -> [ParamsDependency] {
        let what = "a list of parameter keys and mappings of a params file to its keys"
        let items = try SchemaReader.list(node, at: location, what: what)
        var whole = Set<String>()
        for item in items {
            for pair in item.mapPairs ?? [] where pair.value.isNull || pair.value.listItems?.isEmpty == true { whole.insert(pair.key) }
        }
        var order: [String] = []
        var keys: [String: [String]] = [:]
        var written: [String: SourceLocation] = [:]
        func add(_ file: String, _ new: [String], at here: SourceLocation) {
            if keys[file] == nil { order.append(file); keys[file] = []; written[file] = here }
            for k in new where !keys[file]!.contains(k) { keys[file]!.append(k) }
        }
        for item in items {
            if let pairs = item.mapPairs {
                for (file, line, value) in pairs {
                    let here = location.child(file, line: line)
                    if whole.contains(file) { add(file, [], at: location.at(item)); continue }
                    add(file, try SchemaReader.stringList(value, at: here, what: "parameter keys"), at: location.at(item))
                }
            } else {
                let key = try SchemaReader.string(item, at: location, what: what)
                if !whole.contains(defaultParamsFile) { add(defaultParamsFile, [key], at: location.at(item)) }
            }
        }
        return try order.map { file in
            let path = try PipelinePaths.resolveEntry(file, in: wdir, at: written[file] ?? location)
            return ParamsDependency(file: path, keys: whole.contains(file) ? nil : keys[file]!)
        }
    }
}
