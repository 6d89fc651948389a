/// A value read from cairn.yaml, a params file or a `vars` entry: the JSON data model, with mappings that keep
/// the order they were written in (params diffs and error messages list keys as the user wrote them).
public enum ParamValue: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list([ParamValue])
    case map(ParamMap)

    /// A short name of the value's type for error messages ("a mapping", "a list", ...).
    public var typeDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .float: return "a number"
        case .string: return "a string"
        case .list: return "a list"
        case .map: return "a mapping"
        }
    }

    public var isScalar: Bool {
        switch self {
        case .list, .map: return false
        default: return true
        }
    }

    /// The value as DVC writes it into a string (`${x}` inside a larger string): Python's `str()`, except that
    /// booleans are `true`/`false`. Floats use the shortest round-trip form, as Python's repr does.
    public var interpolationText: String {
        switch self {
        case .null: return "None"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return ParamValue.pythonFloat(d)
        case .string(let s): return s
        case .list(let items): return "[" + items.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .map(let map): return "{" + map.entries.map { "'\($0.key)': \($0.value.pythonRepr)" }.joined(separator: ", ") + "}"
        }
    }

    /// Python's `str()` of the value (used where DVC formats a value without its own rules, e.g. list items).
    var pythonStr: String {
        switch self {
        case .bool(let b): return b ? "True" : "False"
        default: return interpolationText
        }
    }

    private var pythonRepr: String {
        switch self {
        case .string(let s): return "'" + s + "'"
        default: return pythonStr
        }
    }

    static func pythonFloat(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        return d.description  // Swift and Python both print the shortest round-trip digits, switching to exponents at 1e16 / 1e-5
    }

    /// The value at a dotted key path (`train.lr`, `layers.0`), walking mappings by key and lists by index, as
    /// DVC's params lookup does. Nil when any step is missing.
    public func value(atPath path: String) -> ParamValue? {
        var current = self
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard let next = current.child(String(part)) else { return nil }
            current = next
        }
        return current
    }

    /// One step of a key path: a mapping key, or a list index (negative counts from the end, as in Python).
    func child(_ key: String) -> ParamValue? {
        switch self {
        case .map(let map): return map[key]
        case .list(let items):
            guard let index = Int(key.trimmingSpaces) else { return nil }
            let i = index < 0 ? items.count + index : index
            return items.indices.contains(i) ? items[i] : nil
        default: return nil
        }
    }

    /// Leaves of nested mappings under dotted keys (lists stay whole), as DVC flattens params for diffs.
    public func flattened(prefix: String = "") -> [(key: String, value: ParamValue)] {
        guard case .map(let map) = self else { return prefix.isEmpty ? [] : [(prefix, self)] }
        var out: [(key: String, value: ParamValue)] = []
        for (key, value) in map.entries {
            let full = prefix.isEmpty ? key : prefix + "." + key
            if case .map = value { out += value.flattened(prefix: full) } else { out.append((full, value)) }
        }
        return out
    }
}

/// A string-keyed mapping that remembers insertion order.
public struct ParamMap: Sendable, Equatable, Hashable {
    public private(set) var entries: [(key: String, value: ParamValue)] = []
    private var index: [String: Int] = [:]

    public init() {}
    public init(_ pairs: [(String, ParamValue)]) { for (k, v) in pairs { self[k] = v } }

    public var keys: [String] { entries.map(\.key) }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    public subscript(key: String) -> ParamValue? {
        get { index[key].map { entries[$0].value } }
        set {
            if let i = index[key] {
                if let newValue { entries[i].value = newValue } else {
                    entries.remove(at: i)
                    index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
                }
            } else if let newValue {
                index[key] = entries.count
                entries.append((key, newValue))
            }
        }
    }

    public static func == (a: ParamMap, b: ParamMap) -> Bool {
        a.entries.count == b.entries.count && a.entries.elementsEqual(b.entries) { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for (k, v) in entries { hasher.combine(k); hasher.combine(v) }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
