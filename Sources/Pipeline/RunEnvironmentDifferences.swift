import Basics

extension RunEnvironment {
    /// What differs between `recorded` (a past run) and `self` (now), one line each, most likely causes of a
    /// different result first: programs and packages, then variables, then the system. Fields the record does not have
    /// are not differences (an older record knows less).
    public func differences(from recorded: RunEnvironment) -> [String] {
        var lines: [String] = []
        for old in recorded.programs {
            guard let new = programs.first(where: { $0.name == old.name }) else { continue }
            if old.path != nil && new.path == nil {
                lines.append("program \(old.name): was \(old.path!), not found now")
                continue
            }
            if let was = old.version, let now = new.version, was != now {
                lines.append("program \(old.name): version was '\(was)', now '\(now)'")
            } else if let was = old.path, let now = new.path, was != now, was.hasPrefix("/") {
                lines.append("program \(old.name): was \(was), now \(now)")
            }
        }
        if let was = recorded.pythonPackages, let now = pythonPackages, was != now {
            lines.append("Python packages: " + Self.packageChanges(was: was, now: now))
        }
        for old in recorded.variables {
            let new = variables.first { $0.name == old.name }
            let nowSet = new?.isSet ?? false
            if old.isSet != nowSet {
                lines.append("$\(old.name): \(old.isSet ? "set" : "unset") then, \(nowSet ? "set" : "unset") now")
            } else if let was = old.value, let now = new?.value, was != now {
                lines.append("$\(old.name): was '\(was)', now '\(now)'")
            }
        }
        func compare(_ what: String, _ was: String?, _ now: String?) {
            if let was, let now, was != now { lines.append("\(what): was \(was), now \(now)") }
        }
        compare("cairn version", recorded.cairnVersion, cairnVersion)
        compare("operating system", recorded.os, os)
        compare("kernel", recorded.kernel, kernel)
        compare("CPU architecture", recorded.architecture, architecture)
        return lines
    }

    /// `numpy 1.26.4 → 2.0.0, pandas removed, torch 2.3.0 added` (at most six named, then "and N more").
    static func packageChanges(was: [String], now: [String]) -> String {
        func split(_ list: [String]) -> [String: String] {
            var map: [String: String] = [:]
            for entry in list {
                let parts = entry.components(separatedBy: "==")
                map[parts[0].lowercased()] = parts.count > 1 ? parts[1] : ""
            }
            return map
        }
        let old = split(was), new = split(now)
        var changes: [String] = []
        for name in Set(old.keys).union(new.keys).sorted() {
            switch (old[name], new[name]) {
            case let (a?, b?) where a != b: changes.append("\(name) \(a) → \(b)")
            case (_?, nil): changes.append("\(name) removed")
            case (nil, let b?): changes.append("\(name) \(b) added")
            default: break
            }
        }
        let shown = changes.prefix(6).joined(separator: ", ")
        return changes.count > 6 ? shown + ", and \(changes.count - 6) more" : shown
    }
}
