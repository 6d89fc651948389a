import Basics

/// The top-level `plots:` and `artifacts:` sections.
enum TopLevelSections {
    static let plotKeys = ["x", "y", "x_label", "y_label", "title", "template"]
    static let artifactKeys = ["path", "type", "desc", "labels", "meta"]

    static func plots(_ node: SourceNode, directory: String, at location: SourceLocation) throws -> [PlotDefinition] {
        let what = "a list of plots (each a path, or a mapping of a plot id to its definition)"
        var plots: [PlotDefinition] = []
        for item in try SchemaReader.list(node, at: location, what: what) {
            if item.mapPairs == nil {
                let id = try SchemaReader.string(item, at: location, what: what)
                plots.append(PlotDefinition(id: id, line: item.line, path: try PipelinePaths.resolveEntry(id, in: directory, at: location.at(item))))
                continue
            }
            for (id, line, value) in try SchemaReader.mapping(item, at: location) {
                let here = location.child(id, line: line)
                var plot = PlotDefinition(id: id, line: line)
                if !value.isNull {
                    let pairs = try SchemaReader.mapping(value, at: here, what: "a plot definition (x, y, titles, template)")
                    try SchemaReader.checkKeys(pairs, allowed: plotKeys, at: here)
                    for (key, keyLine, v) in pairs {
                        let at = here.child(key, line: keyLine)
                        switch key {
                        case "x": plot.x = try xAxis(v, directory: directory, at: at)
                        case "y": plot.y = try yAxis(v, directory: directory, at: at)
                        case "x_label": plot.xLabel = try SchemaReader.string(v, at: at)
                        case "y_label": plot.yLabel = try SchemaReader.string(v, at: at)
                        case "title": plot.title = try SchemaReader.string(v, at: at)
                        case "template": plot.template = try SchemaReader.string(v, at: at)
                        default: break
                        }
                    }
                }
                // An id is a free name only when y maps files to columns; otherwise it is the data file.
                if case .perFile = plot.y {} else { plot.path = try PipelinePaths.resolveEntry(id, in: directory, at: here) }
                plots.append(plot)
            }
        }
        return plots
    }

    private static func xAxis(_ node: SourceNode, directory: String, at location: SourceLocation) throws -> PlotDefinition.XAxis {
        guard let pairs = node.mapPairs else {
            return .field(try SchemaReader.string(node, at: location, what: "a field name or a mapping of files to a field"))
        }
        return .perFile(try pairs.map { file, line, value in
            let here = location.child(file, line: line)
            return (try PipelinePaths.resolveEntry(file, in: directory, at: here), try SchemaReader.string(value, at: here, what: "a field name"))
        })
    }

    private static func yAxis(_ node: SourceNode, directory: String, at location: SourceLocation) throws -> PlotDefinition.YAxis {
        func fields(_ n: SourceNode, _ at: SourceLocation) throws -> [String] {
            if n.listItems != nil { return try SchemaReader.stringList(n, at: at, what: "field names") }
            return [try SchemaReader.string(n, at: at, what: "a field name or a list of field names")]
        }
        guard let pairs = node.mapPairs else { return .fields(try fields(node, location)) }
        return .perFile(try pairs.map { file, line, value in
            let here = location.child(file, line: line)
            return (try PipelinePaths.resolveEntry(file, in: directory, at: here), try fields(value, here))
        })
    }

    static func artifacts(_ node: SourceNode, directory: String, at location: SourceLocation) throws -> [Artifact] {
        try SchemaReader.mapping(node, at: location, what: "a mapping of artifact names to their path and details").map { name, line, value in
            let here = location.child(name, line: line)
            if !isCompatibleName(name) {
                Diagnostics.warning("\(location.file):\(line): artifacts.\(name): artifact names should be lowercase letters and"
                    + " digits with inner '-' (as DVC's model registry expects)")
            }
            let pairs = try SchemaReader.mapping(value, at: here, what: "a mapping with 'path'")
            try SchemaReader.checkKeys(pairs, allowed: artifactKeys, at: here)
            guard let pathPair = pairs.first(where: { $0.key == "path" }) else { throw here.error("missing required key 'path'") }
            let pathAt = here.child("path", line: pathPair.keyLine)
            var artifact = Artifact(name: name, path: try PipelinePaths.resolveEntry(try SchemaReader.string(pathPair.value, at: pathAt),
                                                                                     in: directory, at: pathAt),
                                    type: nil, desc: nil, labels: [], meta: nil)
            for (key, keyLine, v) in pairs {
                let at = here.child(key, line: keyLine)
                switch key {
                case "type": artifact.type = try SchemaReader.string(v, at: at)
                case "desc": artifact.desc = try SchemaReader.string(v, at: at)
                case "labels": artifact.labels = try SchemaReader.stringList(v, at: at, what: "labels")
                case "meta": artifact.meta = v.value
                default: break
                }
            }
            return artifact
        }
    }

    static func isCompatibleName(_ name: String) -> Bool {
        let ok = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        return ok && !name.isEmpty && !name.hasPrefix("-") && !name.hasSuffix("-")
    }
}
