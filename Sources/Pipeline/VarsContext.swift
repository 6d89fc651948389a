import Basics

/// The variables `${…}` can name: `params.yaml` next to cairn.yaml (when it exists), then the top-level `vars`
/// entries in order, then a stage's own `vars`, then `item`/`key` of a foreach or matrix member. As in DVC, nested
/// mappings merge and redefining a value is an error, and `vars` entries are not themselves interpolated.
public struct VarsContext: Sendable {
    public private(set) var values = ParamMap()
    /// Which source defined each path (the path of the subtree root it came with): a file or `vars[0]`.
    private var origins: [String: Origin] = [:]
    /// Files loaded so far: nil = whole file, a list = only those top-level keys.
    private var imports: [String: [String]?] = [:]
    private var reserved: Set<String> = []
    /// Values taken from params/vars files during resolution, by file and dotted key (DVC's tracked vars).
    public private(set) var used: [String: ParamMap] = [:]

    struct Origin: Sendable {
        var name: String
        var isFile: Bool
    }

    public init() {}

    /// Loads a `vars` file entry: `path` or `path:key1,key2`, relative to `directory` (repo-relative).
    mutating func loadFile(_ entry: String, directory: String, root: String, at location: SourceLocation) throws {
        let (pathPart, keysPart) = entry.firstIndex(of: ":").map { (String(entry[..<$0]), String(entry[entry.index(after: $0)...])) }
            ?? (entry, "")
        let keys: [String]? = keysPart.isEmpty ? nil : keysPart.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        let rel = try PipelinePaths.resolve(pathPart, in: directory, at: location)
        if let previous = imports[rel] {
            if keys == nil && previous == nil { return }  // the same whole file twice is allowed
            if keys == nil { throw location.error("cannot load '\(entry)' whole: it is already partially loaded") }
            if previous == nil { throw location.error("cannot partially load '\(entry)': it is already loaded whole") }
            if let keys, let previous, !Set(keys).isDisjoint(with: previous) {
                throw location.error("cannot load '\(entry)': some of these keys are already loaded from it")
            }
        }
        let file = try ParamsFile.load(root: root, path: rel)
        guard case .map(var data) = file.content else {
            throw location.error("'\(rel)' must hold a mapping of variables, got \(file.content.typeDescription)")
        }
        if let keys {
            var selected = ParamMap()
            for key in keys {
                guard let v = data[key] else { throw location.error("could not find '\(key)' in '\(rel)'") }
                selected[key] = v
            }
            data = selected
        }
        try merge(data, origin: Origin(name: rel, isFile: true), at: location)
        if let keys, case .some(.some(let previous)) = imports[rel] { imports[rel] = previous + keys } else { imports[rel] = keys }
    }

    /// Merges an inline `vars` mapping named `name` (e.g. `vars[0]`, `stages.train.vars[1]`).
    mutating func loadInline(_ map: ParamMap, name: String, at location: SourceLocation) throws {
        try merge(map, origin: Origin(name: name, isFile: false), at: location)
    }

    private mutating func merge(_ update: ParamMap, origin: Origin, at location: SourceLocation) throws {
        for key in update.keys where reserved.contains(key) {
            throw location.error("'\(key)' is reserved here (set by foreach/matrix) and cannot be redefined in '\(origin.name)'")
        }
        var root = ParamValue.map(values)
        try merge(into: &root, update, path: "", origin: origin, at: location)
        if case .map(let m) = root { values = m }
    }

    private mutating func merge(into target: inout ParamValue, _ update: ParamMap, path: String, origin: Origin,
                                at location: SourceLocation) throws {
        guard case .map(var map) = target else { return }
        for (key, value) in update.entries {
            let full = path.isEmpty ? key : path + "." + key
            if case .map(let newMap) = value, case .some(.map) = map[key] {
                var existing = map[key]!
                try merge(into: &existing, newMap, path: full, origin: origin, at: location)
                map[key] = existing
            } else if map[key] != nil {
                let before = originOf(full)?.name ?? "?"
                throw location.error("cannot redefine '\(full)' from '\(origin.name)': it already exists in '\(before)'")
            } else {
                map[key] = value
                origins[full] = origin
            }
        }
        target = .map(map)
    }

    private func originOf(_ path: String) -> Origin? {
        var p = path
        while true {
            if let o = origins[p] { return o }
            guard let dot = p.lastIndex(of: ".") else { return nil }
            p = String(p[..<dot])
        }
    }

    public func contains(_ key: String) -> Bool { values[key] != nil }

    /// Sets `item`/`key` for one foreach or matrix member; they shadow any variable of the same name, and `vars`
    /// of the generated stage cannot redefine them.
    mutating func setMember(_ members: ParamMap) {
        for (k, v) in members.entries {
            values[k] = v
            origins[k] = Origin(name: "foreach", isFile: false)
            reserved.insert(k)
        }
    }

    /// The value at an expression's steps, recording params-file values that were used.
    mutating func select(_ steps: [String]) -> ParamValue? {
        var current = ParamValue.map(values)
        for step in steps {
            guard let next = current.child(step) else { return nil }
            current = next
        }
        let path = steps.joined(separator: ".")
        if let origin = originOf(path), origin.isFile {
            var fileUsed = used[origin.name] ?? ParamMap()
            fileUsed[path] = current
            used[origin.name] = fileUsed
        }
        return current
    }
}
