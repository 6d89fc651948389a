import Basics
import Workspace

/// Finds every cairn.yaml in the work tree (a repository may hold several pipelines, one per directory).
/// The walk never follows symbolic links and skips what cannot hold a pipeline of this repository: `.git` and
/// `.cairn` at the top, nested repositories (a directory with its own `.git`), and the data directories of
/// pointer-tracked data (`X/` next to `X.cairn`), so a 100k-file dataset is not walked to find nothing, and
/// directories the `.gitignore` next to them names exactly (`/X`, as cairn writes for stage outputs; a user's
/// `/venv` or `/build` too): a stage's output directory may hold anything, even a file called cairn.yaml, and a
/// pipeline in an ignored directory could not be committed anyway.
/// `skipDirectory` lets the caller prune more (e.g. git-ignored directories, which hold outputs, not pipelines).
public enum PipelineDiscovery {
    /// Repo-relative paths of all cairn.yaml files, sorted (the root's first: "" sorts before any directory).
    public static func find(root: String, skipDirectory: (String) -> Bool = { _ in false }) throws -> [String] {
        var found: [String] = []
        var pending = [""]
        while let rel = pending.popLast() {
            let abs = rel.isEmpty ? root : Paths.join(root, rel)
            let entries = try FS.listDirectory(abs)
            if !rel.isEmpty && entries.contains(where: { $0.name == ".git" }) { continue }  // a nested repository
            // Directories not to enter: exactly git-ignored ones, and pointer-tracked data (below).
            var skipped = rel.isEmpty || entries.contains(where: { $0.name == ".gitignore" })
                ? ignoredDirectoryNames(Paths.join(abs, ".gitignore")) : []
            for entry in entries where entry.name.hasSuffix(PointerFile.suffix) && entry.name.count > PointerFile.suffix.count {
                skipped.insert(String(entry.name.dropLast(PointerFile.suffix.count)))
            }
            for entry in entries {
                let childRel = rel.isEmpty ? entry.name : rel + "/" + entry.name
                var type = entry.type
                if type == 0 /* DT_UNKNOWN */ {
                    guard let st = try FS.lstat(Paths.join(abs, entry.name)) else { continue }
                    type = st.isDirectory ? 4 : st.isRegular ? 8 : 10
                }
                if type == 4 /* DT_DIR */ {
                    if entry.name == ".git" || (rel.isEmpty && entry.name == ".cairn") || skipped.contains(entry.name) { continue }
                    if skipDirectory(childRel) { continue }
                    pending.append(childRel)
                } else if entry.name == PipelineParser.fileName {
                    if type == 8 /* DT_REG */ {
                        found.append(childRel)
                    } else {
                        Diagnostics.warning("\(childRel): is not a regular file (a symbolic link?); cairn does not read it as a pipeline")
                    }
                }
            }
        }
        return found.sorted { Paths.parent($0) < Paths.parent($1) }
    }

    /// The names a .gitignore ignores exactly and only here: lines `/NAME` or `/NAME/` without wildcards. A file
    /// with any negation (`!…`) yields nothing, since a later line could bring a path back; so does anything that is
    /// not a small regular file.
    static func ignoredDirectoryNames(_ path: String) -> Set<String> {
        guard let bytes = try? StructuredFileLoader.readRegularFile(path, display: ".gitignore",
                                                                    limits: .init(maxBytes: 1 << 20)),
              let text = String(validating: bytes, as: UTF8.self) else { return [] }
        var names = Set<String>()
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = String(raw).trimmingSpaces
            if line.hasPrefix("!") { return [] }
            guard line.hasPrefix("/") else { continue }
            var name = Substring(line.dropFirst())
            if name.hasSuffix("/") { name = name.dropLast() }
            guard !name.isEmpty, !name.contains(where: { "/*?[\\".contains($0) }), name != ".", name != ".." else { continue }
            names.insert(String(name))
        }
        return names
    }

    /// Parses every pipeline in the work tree; the first broken file stops with its error.
    public static func loadAll(root: String, skipDirectory: (String) -> Bool = { _ in false },
                               options: InterpolationOptions = InterpolationOptions()) throws -> [PipelineFile] {
        try find(root: root, skipDirectory: skipDirectory).map { try PipelineParser.load(root: root, path: $0, options: options) }
    }
}
