#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Basics

/// The pipelines (cairn.yaml files) of one side of a comparison, parsed.
public struct RevisionPipelines: Sendable {
    public var pipelines: [PipelineFile]
    /// A cairn.yaml that does not parse on this side: reported, and its files left out, so one broken old commit
    /// does not hide the metrics of every other one.
    public var errors: [CairnError]
}

extension RevisionTree {
    /// Caps the files copied out of Git to parse one revision's pipelines (cairn.yaml, params.yaml, vars files).
    static let maxMaterializedFiles = 512

    /// Every cairn.yaml of this side, parsed as `PipelineParser` parses the work tree.
    ///
    /// For a commit the files are copied into a private temporary directory and parsed there. Why not a
    /// file-reading abstraction inside the parser: `PipelineParser`, `VarsContext` and `ParamsFile` read from a
    /// root directory and belong to the parsing layer other helpers build on; threading a reader through them
    /// would change every signature they use. A pipeline reads very few files (cairn.yaml, params.yaml next to
    /// it, its `vars` files), so copying them costs nothing measurable. The ones a first scan cannot know (a
    /// stage `vars` file under an interpolated `wdir`) are found by parsing: the parser's "FILE: does not exist"
    /// names the file, which is copied if the commit has it, and the parse is retried.
    public func loadPipelines() throws -> RevisionPipelines {
        if isWorkTree {
            var result = RevisionPipelines(pipelines: [], errors: [])
            for path in try PipelineDiscovery.find(root: root) {
                do { result.pipelines.append(try PipelineParser.load(root: root, path: path)) } catch let error as CairnError {
                    result.errors.append(error)
                }
            }
            return result
        }
        guard let sha else { return RevisionPipelines(pipelines: [], errors: []) }
        let paths = try git.files(at: sha, withSuffix: PipelineParser.fileName)
            .map(\.path).filter { Paths.basename($0) == PipelineParser.fileName }
            .sorted { Paths.parent($0) < Paths.parent($1) }
        var result = RevisionPipelines(pipelines: [], errors: [])
        if paths.isEmpty { return result }
        let temp = try Self.makeTemporaryDirectory()
        defer { try? FS.removeTree(temp) }
        var copied = Set<String>()
        func copy(_ path: String) throws -> Bool {
            if copied.contains(path) { return true }
            guard copied.count < Self.maxMaterializedFiles else {
                throw CairnError("\(label): more than \(Self.maxMaterializedFiles) pipeline and params files; cairn stops reading here")
            }
            guard let bytes = try read(path) else { return false }
            let target = Paths.join(temp, path)
            try FS.makeDirectories(Paths.parent(target))
            try FS.writeAtomically(target, bytes)
            copied.insert(path)
            return true
        }
        for path in paths {
            do {
                guard try copy(path) else { continue }
                let directory = Paths.parent(path)
                _ = try copy(Paths.join(directory, StageParser.defaultParamsFile))
                for entry in Self.varsFiles(in: try readText(path) ?? "", path: path) { _ = try copy(entry) }
                var attempts = 0
                while true {
                    do {
                        result.pipelines.append(try PipelineParser.load(root: temp, path: path))
                        break
                    } catch let error as CairnError {
                        attempts += 1
                        guard attempts < 64, let missing = Self.missingFile(error), !copied.contains(missing), try copy(missing) else {
                            throw CairnError("\(error.message) (at \(label))")
                        }
                    }
                }
            } catch let error as CairnError {
                result.errors.append(error)
            }
        }
        return result
    }

    /// Top-level and stage `vars` file entries (`file` or `file:keys`), resolved against the cairn.yaml's
    /// directory. Stage entries are relative to the stage's wdir; a literal wdir is applied, an interpolated one
    /// is left to the retry loop.
    static func varsFiles(in text: String, path: String) -> [String] {
        guard let document = try? PipelineFileReader.composeYAML(text, displayName: path), case .map(let top) = document.kind else { return [] }
        let directory = Paths.parent(path)
        var out: [String] = []
        func add(_ varsNode: SourceNode, in dir: String) {
            guard case .list(let items) = varsNode.kind else { return }
            for item in items {
                guard case .scalar(.string(let entry)) = item.kind else { continue }
                let file = entry.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? entry
                let location = SourceLocation(file: path, line: 0, keyPath: "vars")
                if let rel = try? PipelinePaths.resolve(file, in: dir, at: location), !rel.isEmpty { out.append(rel) }
            }
        }
        for (key, _, value) in top {
            if key == "vars" { add(value, in: directory) }
            guard key == "stages", case .map(let stages) = value.kind else { continue }
            for (_, _, body) in stages {
                guard case .map(var pairs) = body.kind else { continue }
                if let inner = pairs.first(where: { $0.key == "do" }), case .map(let doPairs) = inner.value.kind { pairs = doPairs }
                var dir = directory
                if let w = pairs.first(where: { $0.key == "wdir" }), case .scalar(.string(let wdir)) = w.value.kind, !wdir.contains("${") {
                    dir = (try? PipelinePaths.resolve(wdir, in: directory, at: SourceLocation(file: path, line: 0, keyPath: "wdir"))) ?? directory
                }
                if let v = pairs.first(where: { $0.key == "vars" }) { add(v.value, in: dir) }
            }
        }
        return out
    }

    /// The repo-relative file a parse error says does not exist (`PipelineFileReader`'s "FILE: does not exist").
    static func missingFile(_ error: CairnError) -> String? {
        let suffix = ": does not exist"
        guard error.message.hasSuffix(suffix) else { return nil }
        let name = String(error.message.dropLast(suffix.count))
        return name.isEmpty || name.hasPrefix("/") || name.contains(": ") ? nil : name
    }

    static func makeTemporaryDirectory() throws -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/cairn-rev-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CairnError.posix("mkdtemp", base, errno: errno) }
        return String(cString: made)
    }
}
