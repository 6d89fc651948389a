import Basics

/// One line (or set of points, bars, cells) of a plot: one y field of one file on one side.
public struct PlotSeries: Sendable {
    public var revision: String
    public var file: String
    public var xField: String
    public var yField: String
    /// Raw values: CSV cells are strings; the renderer decides what is numeric.
    public var points: [(x: ParamValue, y: ParamValue)]
}

public struct PlotImage: Sendable {
    public var revision: String
    public var file: String
    public var mimeType: String
    public var bytes: [UInt8]
}

/// A plot with its data from every side, ready to draw.
public struct LoadedPlot: Sendable {
    public var spec: PlotSpec
    public var series: [PlotSeries]
    public var images: [PlotImage]
    /// Per file and side: absent, unreadable, a missing field, truncated data. Shown under the plot.
    public var notes: [String]

    public var isConfusion: Bool { spec.template.hasPrefix("confusion") }
}

/// Reads plot data for several sides, each file once per side.
public final class PlotLoader {
    public let sides: [RevisionTree]
    private var cache: [String: Result<(records: [ParamMap], truncated: Bool), CairnError>?] = [:]
    private var rawCache: [String: Result<[UInt8]?, CairnError>] = [:]

    public init(sides: [RevisionTree]) { self.sides = sides }

    private func raw(_ side: RevisionTree, _ file: String) -> Result<[UInt8]?, CairnError> {
        let key = side.label + "\0" + file
        if let hit = rawCache[key] { return hit }
        let result: Result<[UInt8]?, CairnError>
        do { result = .success(try side.read(file)) } catch let e as CairnError { result = .failure(e) } catch {
            result = .failure(CairnError("\(file): \(error)"))
        }
        rawCache[key] = result
        return result
    }

    private func records(_ side: RevisionTree, _ source: PlotSource) -> Result<(records: [ParamMap], truncated: Bool), CairnError>? {
        let key = side.label + "\0" + source.file + "\0" + (source.header ? "h" : "n")
        if let hit = cache[key] { return hit }
        let result: Result<(records: [ParamMap], truncated: Bool), CairnError>?
        switch raw(side, source.file) {
        case .failure(let e): result = .failure(e)
        case .success(nil): result = nil
        case .success(let bytes?):
            do { result = .success(try PlotData.records(bytes, path: source.file, header: source.header)) } catch let e as CairnError {
                result = .failure(e)
            } catch { result = .failure(CairnError("\(source.file): \(error)")) }
        }
        cache[key] = result
        return result
    }

    public func load(_ spec: PlotSpec) -> LoadedPlot {
        var plot = LoadedPlot(spec: spec, series: [], images: [], notes: [])
        let confusion = plot.isConfusion
        for side in sides {
            for source in spec.sources {
                if let mime = PlotData.imageType(forPath: source.file) {
                    switch raw(side, source.file) {
                    case .failure(let e): plot.notes.append("\(side.label): \(e.message)")
                    case .success(nil): plot.notes.append("\(side.label): \(source.file) is absent")
                    case .success(let bytes?): plot.images.append(PlotImage(revision: side.label, file: source.file, mimeType: mime, bytes: bytes))
                    }
                    continue
                }
                guard let result = records(side, source) else {
                    plot.notes.append("\(side.label): \(source.file) is absent")
                    continue
                }
                switch result {
                case .failure(let e): plot.notes.append("\(side.label): \(e.message)")
                case .success(let data):
                    if data.truncated { plot.notes.append("\(side.label): \(source.file): only the first \(PlotData.maxRecords) records are shown") }
                    let fields = data.records.first?.keys ?? []
                    var x = source.x ?? (confusion ? (fields.contains("actual") ? "actual" : fields.first { $0 != "step" }) : nil) ?? "step"
                    var ys = source.y
                    if ys.isEmpty {
                        if confusion {
                            ys = [fields.contains("predicted") ? "predicted" : (fields.filter { $0 != "step" && $0 != x }.last ?? x)]
                        } else if let d = PlotData.defaultY(data.records) {
                            ys = [d]
                        }
                    }
                    if x.isEmpty { x = "step" }
                    for y in ys {
                        let points: [(x: ParamValue, y: ParamValue)] = data.records.compactMap { r in
                            guard let xv = r[x], let yv = r[y] else { return nil }
                            return (xv, yv)
                        }
                        if points.isEmpty && !data.records.isEmpty {
                            plot.notes.append("\(side.label): \(source.file): no records have both '\(x)' and '\(y)'")
                        }
                        plot.series.append(PlotSeries(revision: side.label, file: source.file, xField: x, yField: y, points: points))
                    }
                }
            }
        }
        return plot
    }
}
