import Basics

/// Typed access to a resolved `SourceNode` with the error messages cairn.yaml users see: each names the file, the
/// line and the key path, and says what was expected and what was found.
enum SchemaReader {
    static func mapping(_ node: SourceNode, at location: SourceLocation, what: String = "a mapping")
        throws -> [(key: String, keyLine: Int, value: SourceNode)] {
        guard let pairs = node.mapPairs else { throw location.at(node).error("expected \(what), got \(node.typeDescription)") }
        return pairs
    }

    static func list(_ node: SourceNode, at location: SourceLocation, what: String) throws -> [SourceNode] {
        guard let items = node.listItems else { throw location.at(node).error("expected \(what), got \(node.typeDescription)") }
        return items
    }

    /// A string; a number or boolean that came whole from `${…}` counts as its text.
    static func string(_ node: SourceNode, at location: SourceLocation, what: String = "a string") throws -> String {
        if case .scalar(let value) = node.kind {
            if case .string(let s) = value { return s }
            if node.interpolated, value != .null { return value.interpolationText }
        }
        throw location.at(node).error("expected \(what), got \(node.typeDescription)")
    }

    static func bool(_ node: SourceNode, at location: SourceLocation) throws -> Bool {
        if case .scalar(.bool(let b)) = node.kind { return b }
        throw location.at(node).error("expected true or false, got \(node.typeDescription)")
    }

    static func stringList(_ node: SourceNode, at location: SourceLocation, what: String) throws -> [String] {
        try list(node, at: location, what: "a list of \(what)").map { try string($0, at: location, what: "a list of \(what)") }
    }

    /// Refuses keys outside `allowed`, naming the first unknown one and what is allowed.
    static func checkKeys(_ pairs: [(key: String, keyLine: Int, value: SourceNode)], allowed: [String], at location: SourceLocation) throws {
        for pair in pairs where !allowed.contains(pair.key) {
            throw SourceLocation(file: location.file, line: pair.keyLine, keyPath: location.keyPath)
                .error("unknown key '\(pair.key)' (allowed: \(allowed.joined(separator: ", ")))")
        }
    }
}
