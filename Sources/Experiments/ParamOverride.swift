import Basics
import Pipeline
import Workspace

/// One `-S/--set-param [FILE:]KEY=VALUE` of `cairn exp run`: FILE defaults to params.yaml at the repository root
/// (DVC's default params file), KEY is dotted (`train.lr`), VALUE is read as YAML (`0.1` is a number, `true` a
/// boolean, `[1, 2]` a list, `adam` a string).
public struct ParamOverride: Sendable, Equatable {
    /// Repo-relative params file.
    public var file: String
    public var key: String
    /// The value as typed.
    public var text: String
    public var value: ParamValue

    /// The spelling recorded in the experiment commit (always with the file).
    public var description: String { "\(file):\(key)=\(text)" }

    /// Parses an argument; a FILE is relative to `cwd` (repo-relative `cwdInRepo`), as DVC reads it.
    public static func parse(_ argument: String, cwdInRepo: String) throws -> ParamOverride {
        guard let equals = argument.firstIndex(of: "=") else {
            throw CairnError("-S \(argument): expected [FILE:]KEY=VALUE (e.g. -S train.lr=0.01)")
        }
        let left = argument[..<equals]
        let text = String(argument[argument.index(after: equals)...])
        var file = "params.yaml", key = String(left)
        if let colon = left.lastIndex(of: ":") {
            file = normalized(Paths.join(cwdInRepo, String(left[..<colon])))
            key = String(left[left.index(after: colon)...])
        }
        guard !key.isEmpty, !key.hasPrefix("."), !key.hasSuffix("."), !key.contains("..") else {
            throw CairnError("-S \(argument): '\(key)' is not a parameter name (dotted keys: train.lr)")
        }
        guard !file.isEmpty, !file.hasPrefix("../"), file != ".." else {
            throw CairnError("-S \(argument): \(file) is outside the repository")
        }
        let value: ParamValue
        if text.isEmpty { value = .string("") } else {
            do { value = try PipelineFileReader.composeYAML(text, displayName: "-S \(argument)").value }
            catch { value = .string(text) }
        }
        if case .map = value {
            // `a: b` reads as a mapping but is meant as text; `{a: 1}` really is one, and cannot replace a value.
            guard !text.hasPrefix("{") else {
                throw CairnError("-S \(argument): a value must be a scalar or a list, not a mapping")
            }
            return ParamOverride(file: file, key: key, text: text, value: .string(text))
        }
        return ParamOverride(file: file, key: key, text: text, value: value)
    }

    /// Applies `overrides` to the params files under `root` (read through `read`, nil when absent) and returns
    /// each changed file's new content. Every override is checked before anything is returned: a missing file or
    /// key is an error naming both.
    public static func apply(_ overrides: [ParamOverride], read: (String) throws -> [UInt8]?) throws -> [String: [UInt8]] {
        var files: [String: String] = [:]
        for override in overrides {
            if files[override.file] == nil {
                guard let bytes = try read(override.file) else {
                    throw CairnError("\(override.file): no such params file (in -S \(override.description))")
                }
                files[override.file] = String(decoding: bytes, as: UTF8.self)
            }
            let format = try ParamsFile.format(forPath: override.file)
            let current = try ParamsFile.parse(files[override.file]!, path: override.file, format: format)
            guard let old = current.value(forKey: override.key) else {
                let known = current.flattened.prefix(8).map(\.key).joined(separator: ", ")
                throw CairnError("\(override.file): no parameter '\(override.key)' to set"
                    + (known.isEmpty ? "" : " (it has: \(known)\(current.flattened.count > 8 ? ", …" : ""))"))
            }
            if case .map = old {
                throw CairnError("\(override.file): '\(override.key)' is a mapping; set its keys one by one")
            }
            let edited = try ParamsTextEditor.set(override.key, to: override, in: files[override.file]!, format: format)
            // The edit must read back as exactly the value asked for, and change nothing else.
            let reread = try ParamsFile.parse(edited, path: override.file, format: format)
            guard reread.value(forKey: override.key) == override.value,
                  reread.flattened.count == current.flattened.count else {
                throw CairnError("\(override.file): could not set '\(override.key)' without rewriting the file"
                    + " (flow-style or unusual YAML); edit it by hand")
            }
            files[override.file] = edited
        }
        return files.mapValues { Array($0.utf8) }
    }

    /// `a/./b/../c` → `a/c`; a path that climbs above the root keeps its leading `..` (and is refused).
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == "..", let last = parts.last, last != ".." { parts.removeLast() } else { parts.append(part) }
        }
        return parts.joined(separator: "/")
    }
}
