import Basics

/// One file's part in a plot: which fields of it are x and y.
public struct PlotSource: Sendable, Equatable {
    public var file: String
    /// nil: `step`, the record index, as in DVC.
    public var x: String?
    /// Empty: DVC's default, the last field of the first record.
    public var y: [String]
    /// false: CSV/TSV without a header row; fields are "0", "1", ...
    public var header: Bool = true
}

/// A plot as the `plots:` sections define it, before any data is read.
public struct PlotSpec: Sendable, Equatable {
    /// Identifies the plot across revisions: the defining cairn.yaml and the plot's id.
    public var key: String
    public var title: String
    /// DVC's template name: linear (default), simple, smooth, scatter, bar_horizontal(_sorted), confusion(_normalized).
    public var template: String
    public var xLabel: String?
    public var yLabel: String?
    public var sources: [PlotSource]

    func sameDrawing(as other: PlotSpec) -> Bool {
        sources == other.sources && template == other.template && title == other.title
            && xLabel == other.xLabel && yLabel == other.yLabel
    }

    public var isImage: Bool { !sources.isEmpty && sources.allSatisfy { PlotData.imageType(forPath: $0.file) != nil } }
}

extension RevisionTree {
    /// The plots the pipelines of this side define, in file order: top-level `plots:` entries (a directory stands
    /// for one plot per file under it), then the stages' `plots` outputs. `targets` (repo-relative) keep only the
    /// plots that read one of them; a target no plot names is shown as a plot of its own, as DVC does.
    public func plotSpecs(_ pipelines: [PipelineFile], targets: [String] = []) throws -> [PlotSpec] {
        var specs: [PlotSpec] = []
        func prefix(_ pipeline: PipelineFile) -> String { pipeline.path == PipelineParser.fileName ? "" : pipeline.path + "::" }
        for pipeline in pipelines {
            for plot in pipeline.plots {
                let template = plot.template ?? "linear"
                var x: String?
                var perFileX: [String: String] = [:]
                switch plot.x {
                case .field(let f)?: x = f
                case .perFile(let pairs)?: for p in pairs { perFileX[p.file.repoPath] = p.field }
                case nil: break
                }
                if let path = plot.path {
                    var yFields: [String] = []
                    if case .fields(let f)? = plot.y { yFields = f }
                    let files = try files(under: path.repoPath)
                    for file in files.isEmpty ? [path.repoPath] : files {
                        specs.append(PlotSpec(key: pipeline.path + "::" + plot.id + (files.isEmpty ? "" : "::" + file),
                                              title: plot.title ?? (files.isEmpty ? prefix(pipeline) + plot.id : file), template: template,
                                              xLabel: plot.xLabel, yLabel: plot.yLabel,
                                              sources: [PlotSource(file: file, x: x ?? perFileX[file], y: yFields)]))
                    }
                } else if case .perFile(let pairs)? = plot.y {
                    let sources = pairs.map { PlotSource(file: $0.file.repoPath, x: perFileX[$0.file.repoPath] ?? x, y: $0.fields) }
                    specs.append(PlotSpec(key: pipeline.path + "::" + plot.id, title: plot.title ?? prefix(pipeline) + plot.id,
                                          template: template, xLabel: plot.xLabel, yLabel: plot.yLabel, sources: sources))
                }
            }
            for stage in pipeline.stages {
                for out in stage.outs where out.kind == .plot {
                    let propsList = out.plotProperties.isEmpty ? [PlotProperties()] : out.plotProperties
                    let files = try files(under: out.path.repoPath)
                    for (i, props) in propsList.enumerated() {
                        for file in files.isEmpty ? [out.path.repoPath] : files {
                            specs.append(PlotSpec(key: pipeline.path + ":" + stage.name + "::" + file + (i > 0 ? "#\(i)" : ""),
                                                  title: props.title ?? file, template: props.template ?? "linear",
                                                  xLabel: props.xLabel, yLabel: props.yLabel,
                                                  sources: [PlotSource(file: file, x: props.x, y: props.y.map { [$0] } ?? [],
                                                                       header: props.header ?? true)]))
                        }
                    }
                }
            }
        }
        // A stage plot that repeats a top-level definition (same file, fields and template, as DVC projects
        // often write both) is drawn once.
        var unique: [PlotSpec] = []
        for spec in specs where !unique.contains(where: { $0.sameDrawing(as: spec) }) { unique.append(spec) }
        specs = unique
        guard !targets.isEmpty else { return specs }
        var chosen: [PlotSpec] = []
        for target in targets {
            let matching = specs.filter { spec in
                spec.sources.contains { $0.file == target || $0.file.hasPrefix(target + "/") } || spec.title == target
            }
            if matching.isEmpty {
                let files = try files(under: target)
                for file in files.isEmpty ? [target] : files {
                    chosen.append(PlotSpec(key: "target::" + file, title: file, template: "linear", xLabel: nil, yLabel: nil,
                                           sources: [PlotSource(file: file, x: nil, y: [])]))
                }
            }
            for spec in matching where !chosen.contains(where: { $0.key == spec.key }) { chosen.append(spec) }
        }
        return chosen
    }
}

/// The plots of several sides merged by key: a plot defined on any side is shown, with the definition of the
/// last side that has it (the newest, as `plots diff` lists revisions oldest first).
public enum PlotSpecs {
    public static func merge(_ perSide: [[PlotSpec]]) -> [PlotSpec] {
        var order: [String] = []
        var byKey: [String: PlotSpec] = [:]
        for specs in perSide {
            for spec in specs {
                if byKey[spec.key] == nil { order.append(spec.key) }
                byKey[spec.key] = spec
            }
        }
        return order.map { byKey[$0]! }
    }
}
