/// A path that is equal, hashed and ordered by its UTF-8 bytes. Swift's `String ==` is canonical equivalence: the
/// NFC name `café` (c3 a9) and the NFD name `café` (65 cc 81) are equal Strings but two different files on
/// Linux, so a `[String: X]` keyed by paths silently merges them and one file's content is lost. Every dictionary,
/// set or sort keyed by a path uses PathKey (or `Paths.bytewiseLess`) instead.
public struct PathKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let path: String

    public init(_ path: String) { self.path = path }

    public var description: String { path }

    public static func == (a: PathKey, b: PathKey) -> Bool { a.path.utf8.elementsEqual(b.path.utf8) }

    public func hash(into hasher: inout Hasher) {
        var path = path
        path.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(path.utf8.count)
    }

    public static func < (a: PathKey, b: PathKey) -> Bool { Paths.bytewiseLess(a.path, b.path) }
}

extension Paths {
    /// Byte order, as Git sorts paths; never Unicode-aware String `<`.
    public static func bytewiseLess(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// True when `a` and `b` are the same bytes (not merely canonically equivalent).
    public static func sameBytes(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }
}
