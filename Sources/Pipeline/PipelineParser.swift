import Basics

/// Reads one cairn.yaml (the dvc.yaml schema) into a `PipelineFile`. The first problem found is thrown as one
/// CairnError `FILE:LINE: KEY: what is wrong`.
public enum PipelineParser {
    public static let fileName = "cairn.yaml"
    static let topKeys = ["stages", "vars", "params", "metrics", "plots", "artifacts", "datasets"]

    /// Loads `path` (repo-relative, e.g. `models/cairn.yaml`) from the work tree at `root`.
    public static func load(root: String, path: String, options: InterpolationOptions = InterpolationOptions()) throws -> PipelineFile {
        let text = try PipelineFileReader.readText(Paths.join(root, path), displayName: path)
        return try parse(text, path: path, root: root, options: options)
    }

    /// Parses cairn.yaml text as if it were at the repo-relative `path`; params and vars files are read from `root`.
    public static func parse(_ text: String, path: String, root: String, options: InterpolationOptions = InterpolationOptions()) throws -> PipelineFile {
        let document = try PipelineFileReader.composeYAML(text, displayName: path)
        let directory = Paths.parent(path)
        let top = SourceLocation(file: path, line: document.line, keyPath: "")
        var file = PipelineFile(path: path, directory: directory, stages: [], groups: [:], params: [], metrics: [], plots: [],
                                artifacts: [], variables: ParamMap())
        if document.isNull { return file }
        let pairs = try SchemaReader.mapping(document, at: top, what: "a mapping with 'stages' and the other sections")
        try SchemaReader.checkKeys(pairs, allowed: topKeys, at: top)
        func section(_ key: String) -> (node: SourceNode, at: SourceLocation)? {
            pairs.first { $0.key == key }.map { ($0.value, top.child(key, line: $0.keyLine)) }
        }
        if let (_, here) = section("datasets") {
            throw here.error("DVC datasets are not supported by cairn; track the data with 'cairn add' and list it in deps")
        }

        var context = VarsContext()
        let defaultParams = Paths.join(directory, StageParser.defaultParamsFile)
        if FS.exists(Paths.join(root, defaultParams)) {
            try context.loadFile(StageParser.defaultParamsFile, directory: directory, root: root,
                                 at: SourceLocation(file: path, line: 0, keyPath: "vars"))
        }
        if let (node, here) = section("vars") {
            try TemplateResolver.refuseInterpolation(node, at: here)
            for (index, item) in try SchemaReader.list(node, at: here, what: "a list of files and mappings").enumerated() {
                if let entry = item.stringValue {
                    try context.loadFile(entry, directory: directory, root: root, at: here.at(item))
                } else if case .map(let map) = item.value {
                    try context.loadInline(map, name: "vars[\(index)]", at: here.at(item))
                } else {
                    throw here.at(item).error("expected a file name or a mapping, got \(item.typeDescription)")
                }
            }
        }
        file.variables = context.values

        let stageParser = StageParser(root: root, directory: directory, options: options)
        if let (node, here) = section("stages"), !node.isNull {
            var seen = Set<String>()
            for (name, line, body) in try SchemaReader.mapping(node, at: here, what: "a mapping of stage names to stages") {
                let stageAt = here.child(name, line: line)
                try checkStageName(name, at: stageAt)
                let members = try StageExpansion.expand(name: name, body: body, line: line, context: context,
                                                        parser: stageParser, options: options, at: stageAt)
                for stage in members {
                    guard seen.insert(stage.name).inserted else {
                        throw stageAt.error("the stage name '\(stage.name)' is generated twice; foreach/matrix values must give distinct names")
                    }
                }
                if body.mapPairs?.contains(where: { ["foreach", "do", "matrix"].contains($0.key) }) == true {
                    file.groups[name] = members.map(\.name)
                }
                file.stages += members
            }
        }
        var resolver = TemplateResolver(context: context, options: options)
        if let (node, here) = section("params") {
            file.params = try SchemaReader.stringList(try resolver.resolve(node, field: nil, at: here), at: here, what: "params files")
                .map { try PipelinePaths.resolveEntry($0, in: directory, at: here) }
        }
        if let (node, here) = section("metrics") {
            file.metrics = try SchemaReader.stringList(try resolver.resolve(node, field: nil, at: here), at: here, what: "metrics files")
                .map { try PipelinePaths.resolveEntry($0, in: directory, at: here) }
        }
        if let (node, here) = section("plots") {
            file.plots = try TopLevelSections.plots(try resolver.resolve(node, field: nil, at: here), directory: directory, at: here)
        }
        if let (node, here) = section("artifacts") {
            file.artifacts = try TopLevelSections.artifacts(try resolver.resolve(node, field: nil, at: here), directory: directory, at: here)
        }
        return file
    }

    /// `@` joins a group to its members and `:` separates a file from a stage in targets (`dir/cairn.yaml:train`), so
    /// neither may appear in a name written in the file.
    static func checkStageName(_ name: String, at location: SourceLocation) throws {
        if name.isEmpty { throw location.error("a stage name cannot be empty") }
        if let bad = name.first(where: { $0 == "@" || $0 == ":" || $0 == "/" || $0 == "\\" || $0.isNewline || $0 == "\0" }) {
            throw location.error("invalid stage name '\(name)': '\(bad)' is reserved (stage names may use letters, digits, '_' and '-')")
        }
    }
}
