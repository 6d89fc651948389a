import Basics

/// The distributions a Python interpreter sees, as `pip freeze` lists them, without running pip (half a second per
/// call): the interpreter names its version and sys.path; each `NAME-VERSION.dist-info` / `.egg-info` entry in those
/// directories is one package (the first on sys.path wins, as for imports).
enum PythonPackages {
    /// Version on the first line, then sys.path, one entry per line (written with sys.stdout.write: the same in
    /// Python 2 and 3).
    static let script = "import sys; sys.stdout.write('\\n'.join(['Python ' + sys.version.split()[0]] + [p for p in sys.path if p]) + '\\n')"

    static func isPython(_ name: String) -> Bool {
        let base = Paths.basename(name)
        return base.hasPrefix("python") || base.hasPrefix("pypy")
    }

    /// (`Python X.Y.Z`, packages) or nil when the interpreter did not answer.
    static func probe(_ interpreter: String, environment: [String: String]) -> (version: String, packages: [String])? {
        guard let output = ProgramProbe.output(interpreter, ["-c", script], environment: environment) else { return nil }
        var lines = output.split(separator: "\n").map(String.init)
        guard let version = lines.first, version.hasPrefix("Python ") else { return nil }
        lines.removeFirst()
        var seen = Set<String>(), packages: [String] = []
        for directory in lines where directory.hasPrefix("/") {
            guard let entries = try? FS.listDirectory(directory) else { continue }
            for entry in entries.map(\.name).sorted() {
                guard let (name, packageVersion) = distribution(entry) else { continue }
                if seen.insert(name.lowercased().replacingOccurrences(of: "-", with: "_")).inserted {
                    packages.append("\(name)==\(packageVersion)")
                }
            }
        }
        return (version, packages.sorted { $0.lowercased() < $1.lowercased() })
    }

    /// `numpy-1.26.4.dist-info` → ("numpy", "1.26.4"); `foo-1.0-py3.11.egg-info` → ("foo", "1.0").
    static func distribution(_ entry: String) -> (String, String)? {
        let stem: Substring
        if entry.hasSuffix(".dist-info") { stem = entry.dropLast(".dist-info".count) }
        else if entry.hasSuffix(".egg-info") { stem = entry.dropLast(".egg-info".count) }
        else { return nil }
        let parts = stem.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}
