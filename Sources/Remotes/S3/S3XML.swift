/// A tiny extractor for the few XML answers S3 gives (ListObjectsV2, multipart uploads, errors).
///
/// S3's responses are flat, machine-written documents without attributes we need, CDATA or comments inside the
/// elements we read, so finding `<Name>…</Name>` pairs and decoding entities is enough, and far simpler than
/// FoundationXML (which on Linux pulls in libxml2).
enum S3XML {
    /// The text of every `<name>…</name>` element in `xml`, entities decoded, in document order.
    static func values(_ name: String, in xml: Substring) -> [String] {
        blocks(name, in: xml).map { decodeEntities($0) }
    }

    /// The text of the first `<name>…</name>` element, decoded; nil when there is none.
    static func value(_ name: String, in xml: Substring) -> String? {
        blocks(name, in: xml).first.map { decodeEntities($0) }
    }

    /// The raw (undecoded) contents of every `<name>…</name>` element; `<name/>` gives an empty string.
    static func blocks(_ name: String, in xml: Substring) -> [Substring] {
        let open = "<\(name)>", close = "</\(name)>", empty = "<\(name)/>"
        var found: [Substring] = []
        var rest = xml
        while true {
            let start = rest.firstRange(ofText: open)
            if let selfClosing = rest.firstRange(ofText: empty),
               start.map({ selfClosing.lowerBound < $0.lowerBound }) ?? true {
                found.append(rest[selfClosing.upperBound..<selfClosing.upperBound])
                rest = rest[selfClosing.upperBound...]
                continue
            }
            guard let start, let end = rest[start.upperBound...].firstRange(ofText: close) else { break }
            found.append(rest[start.upperBound..<end.lowerBound])
            rest = rest[end.upperBound...]
        }
        return found
    }

    /// Decodes `&amp; &lt; &gt; &quot; &apos;` and numeric references (`&#34;`, `&#x22;`); an unknown or
    /// malformed entity is kept as it is.
    static func decodeEntities(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var out = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "&", let semicolon = text[index...].prefix(12).firstIndex(of: ";") else {
                out.append(character)
                index = text.index(after: index)
                continue
            }
            let entity = text[text.index(after: index)..<semicolon]
            if let decoded = decodeEntity(entity) {
                out.append(decoded)
                index = text.index(after: semicolon)
            } else {
                out.append(character)
                index = text.index(after: index)
            }
        }
        return out
    }

    private static func decodeEntity(_ entity: Substring) -> Character? {
        switch entity {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard entity.hasPrefix("#") else { return nil }
            let digits = entity.dropFirst()
            let code = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16)
                                                                       : UInt32(digits, radix: 10)
            return code.flatMap { Unicode.Scalar($0) }.map { Character($0) }
        }
    }
}

extension Substring {
    /// A plain substring search, without Foundation (whose `range(of:)` on Linux is slow and locale-aware).
    fileprivate func firstRange(ofText needle: String) -> Range<Substring.Index>? {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return nil }
        let bytes = utf8
        var index = bytes.startIndex
        while let candidate = bytes[index...].firstIndex(of: first) {
            var matchEnd = candidate
            var matched = true
            for byte in pattern {
                guard matchEnd < bytes.endIndex, bytes[matchEnd] == byte else { matched = false; break }
                matchEnd = bytes.index(after: matchEnd)
            }
            if matched { return candidate..<matchEnd }
            index = bytes.index(after: candidate)
        }
        return nil
    }
}
