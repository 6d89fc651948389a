import Basics

/// Where a stage ran (issue 11 item 5): enough to explain, months later, why a re-run gives other bytes.
/// Stored as one line of canonical JSON (format version 1, docs/formats-lineage.md) in lineage.db's `runs.environment`
/// and in experiment commits (`cairn-exp-environment: STAGE JSON`); `cairn reproduce` compares it with the machine
/// it runs on (`differences`).
///
/// Secrets never leave the process: a referenced variable whose name looks like one (KEY, TOKEN, SECRET, PASSWORD,
/// PASSWD, CREDENTIAL) is recorded as set or unset only.
public struct RunEnvironment: Sendable, Equatable {
    public static let formatVersion = 1

    /// The program a command starts (its first word), as found on PATH or in the work tree.
    public struct Program: Sendable, Equatable {
        public var name: String
        /// Absolute path, or the repo-relative path of a script in the work tree; nil when not found (a shell builtin).
        public var path: String?
        /// The first line `PATH --version` wrote (for Python: `Python X.Y.Z`); nil when it wrote nothing or was not
        /// asked (scripts in the work tree are never run just to ask).
        public var version: String?

        public init(name: String, path: String?, version: String?) {
            self.name = name
            self.path = path
            self.version = version
        }

        /// The version number in `version` (`Python 3.11.7` → `3.11.7`, `sort (GNU coreutils) 9.1` → `9.1`): its
        /// first word that starts with a digit and holds a dot; else the whole line.
        public var shortVersion: String? {
            guard let version else { return nil }
            let words = version.split(separator: " ").map { word in
                String(word.drop { ",;()v".contains($0) }.reversed().drop { ",;()".contains($0) }.reversed())
            }
            return words.first { ($0.first?.isNumber ?? false) && $0.contains(".") } ?? version
        }
    }

    /// An environment variable a command references (`$VAR`, `${VAR}`).
    public struct Variable: Sendable, Equatable {
        public var name: String
        public var isSet: Bool
        /// nil when unset or secret.
        public var value: String?

        public init(name: String, isSet: Bool, value: String?) {
            self.name = name
            self.isSet = isSet
            self.value = value
        }
    }

    public var cairnVersion: String?
    /// `uname -s`, `uname -r`, `uname -m`.
    public var os: String?
    public var kernel: String?
    public var architecture: String?
    public var programs: [Program] = []
    /// `name==version` of every distribution the Python interpreter sees (what `pip freeze` lists), sorted by name;
    /// nil when no command runs a Python.
    public var pythonPackages: [String]?
    public var variables: [Variable] = []

    public init() {}

    /// Names that are recorded as set/unset only.
    public static func isSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        return ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL"].contains { upper.contains($0) }
    }

    // MARK: JSON

    public var json: String {
        var map = ParamMap()
        map["version"] = .int(Self.formatVersion)
        func put(_ key: String, _ value: String?) { if let value { map[key] = .string(value) } }
        put("cairn", cairnVersion)
        put("os", os)
        put("kernel", kernel)
        put("architecture", architecture)
        map["programs"] = .list(programs.map { program in
            var entry = ParamMap([("name", .string(program.name))])
            if let path = program.path { entry["path"] = .string(path) }
            if let version = program.version { entry["version"] = .string(version) }
            return .map(entry)
        })
        if let pythonPackages { map["python_packages"] = .list(pythonPackages.map { .string($0) }) }
        map["variables"] = .map(ParamMap(variables.map { variable in
            var entry = ParamMap([("set", .bool(variable.isSet))])
            if let value = variable.value { entry["value"] = .string(value) }
            return (variable.name, .map(entry))
        }))
        return CanonicalJSON.encode(.map(map))
    }

    /// Reads what `json` wrote; nil for anything else (a malformed record is shown as unknown, never fatal). A newer
    /// format version is read as far as its fields are known.
    public static func parse(_ text: String) -> RunEnvironment? {
        guard let document = try? JSONReader.parse(text, file: "environment"), case .map(let map) = document else { return nil }
        func string(_ value: ParamValue?) -> String? { if case .string(let s)? = value { return s }; return nil }
        var environment = RunEnvironment()
        environment.cairnVersion = string(map["cairn"])
        environment.os = string(map["os"])
        environment.kernel = string(map["kernel"])
        environment.architecture = string(map["architecture"])
        if case .list(let programs)? = map["programs"] {
            environment.programs = programs.compactMap { item in
                guard case .map(let entry) = item, let name = string(entry["name"]) else { return nil }
                return Program(name: name, path: string(entry["path"]), version: string(entry["version"]))
            }
        }
        if case .list(let packages)? = map["python_packages"] { environment.pythonPackages = packages.compactMap(string) }
        if case .map(let variables)? = map["variables"] {
            environment.variables = variables.entries.map { name, value in
                guard case .map(let entry) = value else { return Variable(name: name, isSet: false, value: nil) }
                return Variable(name: name, isSet: entry["set"] == .bool(true), value: string(entry["value"]))
            }
        }
        return environment
    }

    /// Stage → environment JSON from an experiment commit's message: ExperimentMessage writes one
    /// `cairn-exp-environment: STAGE JSON` trailer per stage that ran (read here because Pipeline sits below
    /// Experiments). Trailers that do not parse are left out.
    public static func experimentTrailers(_ message: String?) -> [String: String] {
        var found: [String: String] = [:]
        for line in (message ?? "").split(separator: "\n") where line.hasPrefix("cairn-exp-environment: ") {
            let value = line.dropFirst("cairn-exp-environment: ".count)
            guard let space = value.firstIndex(of: " ") else { continue }
            let json = String(value[value.index(after: space)...])
            if parse(json) != nil { found[String(value[..<space])] = json }
        }
        return found
    }
}
