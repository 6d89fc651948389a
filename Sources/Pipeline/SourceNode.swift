import Basics

/// A value from a YAML file together with the line it was written on, so every schema or interpolation error can
/// point at the line. Built once from Yams' composed tree (`YAMLDocument`); interpolation produces new nodes that
/// keep the line of the text they came from.
public struct SourceNode: Sendable, Equatable {
    public indirect enum Kind: Sendable, Equatable {
        case scalar(ParamValue)
        case list([SourceNode])
        case map([(key: String, keyLine: Int, value: SourceNode)])

        public static func == (a: Kind, b: Kind) -> Bool {
            switch (a, b) {
            case (.scalar(let x), .scalar(let y)): return x == y
            case (.list(let x), .list(let y)): return x == y
            case (.map(let x), .map(let y)):
                return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
            default: return false
            }
        }
    }

    public var kind: Kind
    /// 1-based line in the file (0 when unknown).
    public var line: Int
    /// True for a scalar that a whole-string `${…}` produced: its type came from a variable, so fields that want a
    /// string accept its text (DVC checks the schema before interpolation, where it was a string).
    public var interpolated: Bool = false

    public init(_ kind: Kind, line: Int, interpolated: Bool = false) {
        self.kind = kind
        self.line = line
        self.interpolated = interpolated
    }

    /// The plain value, without lines.
    public var value: ParamValue {
        switch kind {
        case .scalar(let v): return v
        case .list(let items): return .list(items.map(\.value))
        case .map(let pairs): return .map(ParamMap(pairs.map { ($0.key, $0.value.value) }))
        }
    }

    /// A node for a plain value, every part on `line`.
    public static func from(_ value: ParamValue, line: Int, interpolated: Bool = false) -> SourceNode {
        switch value {
        case .list(let items):
            return SourceNode(.list(items.map { from($0, line: line, interpolated: interpolated) }), line: line)
        case .map(let map):
            return SourceNode(.map(map.entries.map { ($0.key, line, from($0.value, line: line, interpolated: interpolated)) }),
                              line: line)
        default:
            return SourceNode(.scalar(value), line: line, interpolated: interpolated)
        }
    }

    var typeDescription: String {
        switch kind {
        case .scalar(let v): return v.typeDescription
        case .list: return "a list"
        case .map: return "a mapping"
        }
    }

    var mapPairs: [(key: String, keyLine: Int, value: SourceNode)]? {
        if case .map(let pairs) = kind { return pairs }
        return nil
    }

    var listItems: [SourceNode]? {
        if case .list(let items) = kind { return items }
        return nil
    }

    var stringValue: String? {
        if case .scalar(.string(let s)) = kind { return s }
        return nil
    }

    var isNull: Bool {
        if case .scalar(.null) = kind { return true }
        return false
    }
}

/// Where a problem is: the file (as the user should see it, e.g. `models/cairn.yaml`), the line and the key path
/// (`stages.train.deps`). Every pipeline error is `FILE:LINE: KEY: what is wrong`.
public struct SourceLocation: Sendable, Equatable {
    public var file: String
    public var line: Int
    public var keyPath: String

    public init(file: String, line: Int, keyPath: String) {
        self.file = file
        self.line = line
        self.keyPath = keyPath
    }

    public func error(_ message: String) -> CairnError {
        let place = line > 0 ? "\(file):\(line)" : file
        return CairnError(keyPath.isEmpty ? "\(place): \(message)" : "\(place): \(keyPath): \(message)")
    }

    func child(_ key: String, line: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, keyPath: keyPath.isEmpty ? key : keyPath + "." + key)
    }

    func at(_ node: SourceNode) -> SourceLocation {
        SourceLocation(file: file, line: node.line > 0 ? node.line : line, keyPath: keyPath)
    }
}
