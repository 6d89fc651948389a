import Basics
#if canImport(Glibc)
import Glibc
#endif

/// Records the environment a stage's commands run in (RunEnvironment): called by repro just before the commands
/// start, and by `cairn reproduce` for "now" when it compares.
public enum RunEnvironmentCapture {
    /// Variables cairn itself sets for a stage (they name this work tree, so they differ in every worktree).
    static let ownVariables: Set<String> = ["CAIRN_ROOT", "CAIRN_STAGE"]

    /// Shell builtins and keywords: not programs with versions of their own.
    static let builtins: Set<String> = [
        "cd", "export", "set", "unset", "exit", "test", "[", "true", "false", ":", ".", "source", "if", "then", "else",
        "elif", "fi", "for", "do", "done", "while", "until", "case", "esac", "echo", "printf", "read", "shift", "local",
        "return", "eval", "trap", "wait", "umask", "{", "}", "!", "alias", "type", "ulimit",
    ]
    /// Words that start another program: the program is the word after them (and their options).
    static let wrappers: Set<String> = ["env", "exec", "command", "time", "nice", "nohup", "builtin"]

    /// `commands` run with `/bin/sh -c` in `directory` (inside `root`) with `environment`.
    public static func capture(commands: [String], directory: String, root: String,
                               environment: [String: String]) -> RunEnvironment {
        var result = RunEnvironment()
        result.cairnVersion = RunLineage.cairnVersion.snapshot
        let system = RunLineage.uname()
        result.os = system?.system
        result.kernel = system?.release
        result.architecture = system?.machine
        var named = Set<String>()
        for word in commands.flatMap(programWords) where named.insert(word).inserted {
            for (program, packages) in programs(word, directory: directory, root: root, environment: environment)
                where !result.programs.contains(program) {
                result.programs.append(program)
                if result.pythonPackages == nil { result.pythonPackages = packages }
            }
        }
        var seen = Set<String>()
        for name in commands.flatMap(referencedVariables) where !ownVariables.contains(name) && seen.insert(name).inserted {
            let value = environment[name]
            result.variables.append(RunEnvironment.Variable(
                name: name, isSet: value != nil, value: RunEnvironment.isSecret(name) ? nil : value))
        }
        return result
    }

    /// The program (and, for a script with `#!`, its interpreter) that `word` starts; with the packages of a Python.
    static func programs(_ word: String, directory: String, root: String,
                         environment: [String: String]) -> [(RunEnvironment.Program, pythonPackages: [String]?)] {
        if !word.contains("/") {
            guard let path = ExecutableSearch.find(word, path: environment["PATH"]) else {
                return [(RunEnvironment.Program(name: word, path: nil, version: nil), nil)]
            }
            return [probe(name: word, path: path, environment: environment)]
        }
        let path = Paths.absolute(word, cwd: directory)
        guard let inRepo = Paths.relative(path, to: root) else {
            return [probe(name: Paths.basename(word), path: path, environment: environment)]
        }
        // A script of the repository is not run just to ask its version (it is a dependency, versioned with the
        // rest); its interpreter is.
        var found = [(RunEnvironment.Program(name: word, path: inRepo, version: nil), pythonPackages: [String]?.none)]
        if let interpreter = shebang(path) {
            let words = interpreter.split(separator: " ").map(String.init)
            var program = words.first ?? ""
            if Paths.basename(program) == "env", words.count > 1 { program = words[1] }
            if !program.isEmpty && !program.contains("/") || program.hasPrefix("/") {
                found += programs(program, directory: directory, root: root, environment: environment)
            }
        }
        return found
    }

    /// One question per program: a Python is asked its version and sys.path together, anything else `--version`.
    private static func probe(name: String, path: String,
                              environment: [String: String]) -> (RunEnvironment.Program, pythonPackages: [String]?) {
        if PythonPackages.isPython(name), let python = PythonPackages.probe(path, environment: environment) {
            return (RunEnvironment.Program(name: name, path: path, version: python.version), python.packages)
        }
        let version = ProgramProbe.firstLine(ProgramProbe.output(path, ["--version"], environment: environment))
        return (RunEnvironment.Program(name: name, path: path, version: version), nil)
    }

    /// The `#!` line of a file (without `#!`), read from its first 256 bytes; nil for anything else.
    static func shebang(_ path: String) -> String? {
        guard let stat = (try? FS.stat(path)) ?? nil, stat.isRegular else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 2, buffer[0] == UInt8(ascii: "#"), buffer[1] == UInt8(ascii: "!") else { return nil }
        let line = buffer[2..<n].prefix { $0 != 10 }
        let text = String(decoding: line, as: UTF8.self).trimmingSpaces
        return text.isEmpty ? nil : text
    }
}
