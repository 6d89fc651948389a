import Basics

/// `outs`, `metrics` and `plots` of a stage: each entry a path, or a mapping from paths to their options.
enum OutputParser {
    static let outputOptions = ["cache", "persist", "push", "remote", "checkpoint", "desc", "type", "labels", "meta"]
    static let plotOptions = ["template", "x", "y", "x_label", "y_label", "title", "header"]

    static func parse(_ node: SourceNode, kind: StageOutput.Kind, wdir: String, at location: SourceLocation) throws -> [StageOutput] {
        let what = "a list of paths (each a string or a mapping of a path to its options)"
        var outputs: [StageOutput] = []
        for item in try SchemaReader.list(node, at: location, what: what) {
            if item.mapPairs == nil {
                let written = try SchemaReader.string(item, at: location, what: what)
                outputs.append(StageOutput(path: try PipelinePaths.resolveEntry(written, in: wdir, at: location.at(item)), kind: kind))
                continue
            }
            for pair in try SchemaReader.mapping(item, at: location) {
                let here = location.child(pair.key, line: pair.keyLine)
                var output = StageOutput(path: try PipelinePaths.resolveEntry(pair.key, in: wdir, at: here), kind: kind)
                if kind == .plot, let list = pair.value.listItems {
                    for props in list { try apply(props, to: &output, at: here) }
                } else {
                    try apply(pair.value, to: &output, at: here)
                }
                outputs.append(output)
            }
        }
        return outputs
    }

    private static func apply(_ node: SourceNode, to output: inout StageOutput, at location: SourceLocation) throws {
        let pairs = try SchemaReader.mapping(node, at: location, what: "a mapping of output options")
        let isPlot = output.kind == .plot
        try SchemaReader.checkKeys(pairs, allowed: outputOptions + (isPlot ? plotOptions : []), at: location)
        var props = PlotProperties()
        for (key, line, value) in pairs {
            let here = location.child(key, line: line)
            switch key {
            case "cache": output.cache = try SchemaReader.bool(value, at: here)
            case "persist": output.persist = try SchemaReader.bool(value, at: here)
            case "push": output.push = try SchemaReader.bool(value, at: here)
            case "checkpoint":
                output.checkpoint = try SchemaReader.bool(value, at: here)
                if output.checkpoint {
                    Diagnostics.warning("\(here.file):\(line): \(here.keyPath): checkpoints were removed in DVC 3; cairn ignores 'checkpoint: true'")
                }
            case "remote": output.remote = try SchemaReader.string(value, at: here)
            case "desc": output.desc = try SchemaReader.string(value, at: here)
            case "type": output.type = try SchemaReader.string(value, at: here)
            case "labels": output.labels = try SchemaReader.stringList(value, at: here, what: "labels")
            case "meta": output.meta = value.value
            case "template": props.template = try SchemaReader.string(value, at: here)
            case "x": props.x = try SchemaReader.string(value, at: here)
            case "y": props.y = try SchemaReader.string(value, at: here)
            case "x_label": props.xLabel = try SchemaReader.string(value, at: here)
            case "y_label": props.yLabel = try SchemaReader.string(value, at: here)
            case "title": props.title = try SchemaReader.string(value, at: here)
            case "header": props.header = try SchemaReader.bool(value, at: here)
            default: break
            }
        }
        if isPlot { output.plotProperties.append(props) }
    }
}
