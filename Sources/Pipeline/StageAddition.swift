import Basics

/// `cairn stage add`: puts one stage into the cairn.yaml of a directory (creating the file), by editing its text
/// (PipelineTextEditor), and writes only a result that parses and whose whole graph (every pipeline of the
/// repository) is valid, so a stage that would create a cycle or a second writer of an output is refused with
/// nothing written.
public enum StageAddition {
    public struct Result: Sendable {
        /// Repo-relative path of the cairn.yaml written.
        public var pipelinePath: String
        public var replaced: Bool
        public var created: Bool
    }

    /// Letters, digits, `_` and `-`, as `dvc stage add` allows: `@` and `:` are target syntax, `.` and `/` look like
    /// paths. Returns why `name` is refused, or nil.
    public static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "a stage name cannot be empty" }
        if let bad = name.first(where: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
            return "invalid stage name '\(Paths.quoted(name))': '\(Paths.quoted(String(bad)))' is not allowed (use letters, digits, '_' and '-')"
        }
        return nil
    }

    /// Adds (or with `force` replaces) `definition` in `directory`/cairn.yaml (`directory` repo-relative, "" = root).
    public static func run(_ definition: StageDefinition, root: String, directory: String, force: Bool) throws -> Result {
        if let problem = nameProblem(definition.name) { throw CairnError(problem, exitCode: 2) }
        let pipelinePath = Paths.join(directory, PipelineParser.fileName)
        let absolute = Paths.join(root, pipelinePath)
        if let path = definition.duplicatePath {
            throw CairnError("\(pipelinePath): '\(Paths.quoted(path))' is given twice (a path is a dep or an output of a stage, once)")
        }
        let exists = try FS.lstat(absolute) != nil
        let text = exists ? try PipelineFileReader.readText(absolute, displayName: pipelinePath) : ""
        if exists {
            // An existing file must be valid before it is edited: cairn never builds on a file it cannot read.
            let before = try PipelineParser.parse(text, path: pipelinePath, root: root)
            let isGroup = before.groups.keys.contains { Paths.sameBytes($0, definition.name) }
            if (before.stage(named: definition.name) != nil || isGroup) && !force {
                throw CairnError("\(pipelinePath): stage '\(definition.name)' already exists; use -f to replace it")
            }
        }
        let (newText, change) = try PipelineTextEditor.addStage(definition, to: text, file: pipelinePath, replace: force)
        let notWritten = "; \(pipelinePath) was not changed"
        let after: PipelineFile
        do {
            after = try PipelineParser.parse(newText, path: pipelinePath, root: root)
        } catch let error as CairnError {
            throw CairnError(error.message + notWritten, exitCode: error.exitCode, kind: error.kind)
        }
        guard after.stage(named: definition.name) != nil else {
            throw CairnError("\(pipelinePath): the stage '\(definition.name)' could not be placed in the file\(notWritten); this is a bug", kind: .bug)
        }
        do {
            let others = try PipelineDiscovery.loadAll(root: root).filter { !Paths.sameBytes($0.path, pipelinePath) }
            _ = try StageGraph.build(pipelines: others + [after], trackedDataPaths: try StageGraph.trackedDataPaths(root: root))
        } catch let error as CairnError {
            throw CairnError(error.message + notWritten, exitCode: error.exitCode, kind: error.kind)
        }
        try FS.makeDirectories(Paths.parent(absolute))
        try FS.writeAtomically(absolute, newText)
        return Result(pipelinePath: pipelinePath, replaced: change == .replaced, created: !exists)
    }
}
