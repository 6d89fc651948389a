import ArgumentParser
import Basics
import GitBridge
import Pipeline

/// `cairn plots ...`: one self-contained HTML page with the plots that `plots:` sections define.
struct Plots: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plots",
        abstract: "Draw the plots pipelines define into one HTML page (no network needed to view it).",
        discussion: "Templates: linear (default), simple, smooth, scatter, bar_horizontal, bar_horizontal_sorted, "
            + "confusion, confusion_normalized. Images (PNG, JPEG, GIF, SVG) are embedded as they are.",
        subcommands: [PlotsShow.self, PlotsDiff.self])
}

/// Options both subcommands share, as DVC names them.
struct PlotsOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .customLong("out")], help: "Directory to write index.html into.")
    var out: String = "cairn_plots"

    @Option(name: [.customShort("t"), .customLong("template")], help: "Template for every plot (overrides cairn.yaml).")
    var template: String?

    @Option(name: .customShort("x"), help: "Field for the x axis of every plot.")
    var x: String?

    @Option(name: .customShort("y"), help: "Field for the y axis of every plot.")
    var y: String?

    @Option(name: .customLong("title"), help: "Title of every plot.")
    var title: String?

    @Option(name: .customLong("x-label"), help: "Label of every x axis.")
    var xLabel: String?

    @Option(name: .customLong("y-label"), help: "Label of every y axis.")
    var yLabel: String?

    @Flag(name: .customLong("no-header"), help: "CSV/TSV files have no header row (fields are 0, 1, ...).")
    var noHeader = false

    @Flag(help: "Also print the plots' data as JSON (the page is still written).")
    var json = false

    func apply(_ spec: PlotSpec) -> PlotSpec {
        var s = spec
        if let template { s.template = template }
        if let title { s.title = title }
        if let xLabel { s.xLabel = xLabel }
        if let yLabel { s.yLabel = yLabel }
        s.sources = s.sources.map { src in
            var src = src
            if let x { src.x = x }
            if let y { src.y = [y] }
            if noHeader { src.header = false }
            return src
        }
        return s
    }

    /// Loads the plots of `sides` (oldest first), writes the page and prints its path (and JSON with --json).
    func render(sides: [RevisionTree], targets: [String], git: GitRepository, cwd: String) throws {
        let paths = try PipelineReport.targets(targets, git: git, cwd: cwd)
        var perSide: [[PlotSpec]] = []
        for side in sides {
            let pipelines = try side.loadPipelines()
            PipelineReport.warn(pipelines.errors)
            perSide.append(try side.plotSpecs(pipelines.pipelines, targets: paths))
        }
        let loader = PlotLoader(sides: sides)
        let plots = PlotSpecs.merge(perSide).map { loader.load(apply($0)) }
        let directory = Paths.absolute(out, cwd: cwd)
        if let st = try FS.stat(directory), !st.isDirectory { throw CairnError("\(out): exists and is not a directory") }
        try FS.makeDirectories(directory)
        let page = Paths.join(directory, "index.html")
        try FS.writeAtomically(page, PlotsPage.html(plots, revisions: sides.count > 1 ? sides.map(\.label) : []))
        let shown = out.hasSuffix("/") ? out + "index.html" : out + "/index.html"
        if json {
            Terminal.stdout(OrderedJSON.text(.object([
                ("path", .value(.string(shown))),
                ("revisions", .array(sides.map { .value(.string($0.label)) })),
                ("plots", .array(plots.map(Self.json))),
            ])))
        } else {
            if plots.isEmpty { Terminal.stderr("cairn: no plots: define them under plots: in cairn.yaml (top level or a stage's outputs)") }
            Terminal.stdout(shown)
        }
    }

    static func json(_ plot: LoadedPlot) -> OrderedJSON.Node {
        .object([
            ("title", .value(.string(plot.spec.title))),
            ("template", .value(.string(plot.spec.template))),
            ("files", .array(plot.spec.sources.map { .value(.string($0.file)) })),
            ("series", .array(plot.series.map { s in .object([
                ("revision", .value(.string(s.revision))), ("file", .value(.string(s.file))),
                ("x", .value(.string(s.xField))), ("y", .value(.string(s.yField))),
                ("points", .array(s.points.map { .array([.value($0.x), .value($0.y)]) })),
            ]) })),
            ("images", .array(plot.images.map { i in .object([
                ("revision", .value(.string(i.revision))), ("file", .value(.string(i.file))), ("type", .value(.string(i.mimeType))),
            ]) })),
            ("notes", .array(plot.notes.map { .value(.string($0)) })),
        ])
    }
}

struct PlotsShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Draw the work tree's plots into cairn_plots/index.html (or -o DIR) and print its path.",
        discussion: "TARGETS keep only the plots that read those files; a file no plot names is drawn with the "
            + "default template.")

    @Argument(help: "Plot data files or directories (default: every plot).")
    var targets: [String] = []

    @OptionGroup var options: PlotsOptions

    func run() throws {
        let context = CommandContext()
        let git = try GitRepository.discover(startingAt: context.cwd)
        try options.render(sides: [.workTree(git: git)], targets: targets, git: git, cwd: context.cwd)
    }
}

struct PlotsDiff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Draw plots of several revisions overlaid into one page and print its path.",
        discussion: "No revision: HEAD and the work tree. One: it and the work tree. Several: those ('workspace' "
            + "names the work tree). Each revision's series is labelled with its name in the legend.")

    @Argument(help: "Revisions to compare.")
    var revisions: [String] = []

    @Option(name: .customLong("targets"), parsing: .upToNextOption, help: "Plot data files to draw (default: every plot).")
    var targets: [String] = []

    @OptionGroup var options: PlotsOptions

    func run() throws {
        let context = CommandContext()
        let (git, cache) = try PipelineReport.open(cwd: context.cwd)
        var names = revisions
        if names.count <= 1 {
            if names.isEmpty { names.append("HEAD") }
            names.append("workspace")
        }
        let sides = try names.map { try PipelineReport.side($0, git: git, cache: cache) }
        try options.render(sides: sides, targets: targets, git: git, cwd: context.cwd)
    }
}
