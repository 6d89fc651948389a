import Basics

/// A params file (`params.yaml`, `config.json`, `train.toml`), also used for `vars` files. The format comes from
/// the extension as in DVC: `.json`, `.toml`, anything else is YAML. Python params files are not supported.
public struct ParamsFile: Sendable {
    public enum Format: String, Sendable { case yaml, json, toml }

    /// Repo-relative path.
    public var path: String
    public var format: Format
    /// The whole file: a mapping (an empty file is an empty mapping).
    public var content: ParamValue

    public static func format(forPath path: String) throws -> Format {
        let name = Paths.basename(path).lowercased()
        if name.hasSuffix(".json") { return .json }
        if name.hasSuffix(".toml") { return .toml }
        if name.hasSuffix(".py") {
            throw CairnError("\(path): Python params files are not supported by cairn; use YAML, JSON or TOML")
        }
        return .yaml
    }

    /// Reads the repo-relative `path` under `root` through `PipelineFileReader`.
    public static func load(root: String, path: String) throws -> ParamsFile {
        let format = try format(forPath: path)
        return try parse(try PipelineFileReader.readText(Paths.join(root, path), displayName: path), path: path, format: format)
    }

    public static func parse(_ text: String, path: String, format: Format) throws -> ParamsFile {
        let content: ParamValue
        switch format {
        case .yaml: content = try PipelineFileReader.composeYAML(text, displayName: path).value
        case .json: content = try JSONReader.parse(text, file: path)
        case .toml: content = try TOMLReader.parse(text, file: path)
        }
        switch content {
        case .map: return ParamsFile(path: path, format: format, content: content)
        case .null: return ParamsFile(path: path, format: format, content: .map(ParamMap()))
        default: throw CairnError("\(path): a params file must hold a mapping of names to values, got \(content.typeDescription)")
        }
    }

    /// The value at a dotted key (`train.lr`, `layers.0`); a key naming a mapping gives the whole subtree.
    public func value(forKey key: String) -> ParamValue? { content.value(atPath: key) }

    /// The values of `keys`, in that order; a missing key is an error naming the file and the key.
    public func values(forKeys keys: [String]) throws -> ParamMap {
        var out = ParamMap()
        let missing = keys.filter { value(forKey: $0) == nil }
        if !missing.isEmpty {
            let list = missing.map { "'\($0)'" }.joined(separator: ", ")
            throw CairnError("\(path): \(missing.count == 1 ? "parameter" : "parameters") \(list) \(missing.count == 1 ? "is" : "are") missing")
        }
        for key in keys { out[key] = value(forKey: key)! }
        return out
    }

    /// Every leaf under its dotted key (lists stay whole), as `params diff` shows them.
    public var flattened: [(key: String, value: ParamValue)] { content.flattened() }
}
