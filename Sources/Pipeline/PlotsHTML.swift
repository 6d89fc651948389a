import Basics

/// Text for HTML: every character that could end an element, an attribute or start markup is an entity, and
/// control characters are dropped, so file content (field names, values, titles, paths) is only ever text.
public enum HTMLText {
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out += " "
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// The page `plots show` and `plots diff` write: one self-contained HTML file, styles inline, every plot an
/// inline SVG, every image a data: URI. No script and no URL, so it opens offline and file content cannot run.
public enum PlotsPage {
    public static func html(_ plots: [LoadedPlot], revisions: [String], title: String = "cairn plots") -> String {
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
        <title>\(HTMLText.escape(title))</title>
        <style>
        body { font-family: sans-serif; margin: 24px; color: #222; }
        section { margin: 0 0 32px; }
        h2 { font-size: 16px; margin: 0 0 4px; }
        .meta { color: #666; font-size: 12px; margin: 0 0 8px; }
        .note { color: #a33; font-size: 12px; margin: 2px 0; }
        figure { display: inline-block; margin: 0 16px 16px 0; }
        figcaption { font-size: 12px; color: #444; }
        img { max-width: 640px; border: 1px solid #ddd; }
        </style>
        </head>
        <body>

        """
        out += "<h1>\(HTMLText.escape(title))</h1>\n"
        if !revisions.isEmpty {
            out += "<p class=\"meta\">Revisions: " + revisions.map(HTMLText.escape).joined(separator: ", ") + "</p>\n"
        }
        if plots.isEmpty { out += "<p>No plots are defined: add a <code>plots:</code> section or stage plots to cairn.yaml.</p>\n" }
        for plot in plots {
            out += "<section>\n<h2>\(HTMLText.escape(plot.spec.title))</h2>\n"
            let files = Array(Set(plot.spec.sources.map(\.file))).sorted()
            out += "<p class=\"meta\">" + HTMLText.escape(files.joined(separator: ", ")) + (plot.spec.isImage ? "" : " · " + HTMLText.escape(plot.spec.template)) + "</p>\n"
            for image in plot.images {
                out += "<figure><img alt=\"\(HTMLText.escape(image.file))\" src=\"data:\(image.mimeType);base64,\(Base64.encode(image.bytes))\">"
                    + "<figcaption>\(HTMLText.escape(image.revision + ": " + image.file))</figcaption></figure>\n"
            }
            let svg = PlotSVG.render(plot)
            if !svg.isEmpty { out += svg + "\n" }
            for note in plot.notes { out += "<p class=\"note\">\(HTMLText.escape(note))</p>\n" }
            out += "</section>\n"
        }
        return out + "</body>\n</html>\n"
    }
}
