import Basics

public enum EntryKind: UInt8, Sendable {
    case file = 1, executable = 2, directory = 3
}

/// One name in a directory listing. For a directory, `id` is the subtree's id, `size` the total bytes below
/// it and `fileCount` the number of files below it; for a file, `fileCount` is 1.
public struct TreeEntry: Hashable, Sendable {
    public var name: String
    public var kind: EntryKind
    public var id: ObjectID
    public var size: UInt64
    public var fileCount: UInt64

    public init(name: String, kind: EntryKind, id: ObjectID, size: UInt64, fileCount: UInt64 = 1) {
        self.name = name
        self.kind = kind
        self.id = id
        self.size = size
        self.fileCount = fileCount
    }
}

/// A directory listing, hierarchical like Git's. Entries are kept sorted by the UTF-8 bytes of their names,
/// so every tree has exactly one encoding and the id (SHA-256 of the encoding) is canonical.
///
/// Encoding (little-endian): "CTRE", u32 version (1), u32 count, then per entry: u8 kind, u32 name length,
/// name (UTF-8), 32-byte id, u64 size, u64 fileCount.
public struct Tree: Hashable, Sendable {
    public static let version: UInt32 = 1

    public private(set) var entries: [TreeEntry]

    /// Sorts the entries; call `validate()` (storeTree does) to reject bad names or duplicates.
    public init(entries: [TreeEntry]) {
        self.entries = entries.sorted { Tree.precedes($0.name, $1.name) }
    }

    public var totalSize: UInt64 { entries.reduce(0) { $0 &+ $1.size } }
    public var fileCount: UInt64 { entries.reduce(0) { $0 &+ $1.fileCount } }

    public func entry(named name: String) -> TreeEntry? { entries.first { $0.name == name } }

    public func encode() -> [UInt8] {
        var w = ByteWriter(capacity: 12 + entries.count * 80)
        w.u32(Magic.tree)
        w.u32(Tree.version)
        w.u32(UInt32(truncatingIfNeeded: entries.count))
        for e in entries {
            let name = Array(e.name.utf8)
            w.u8(e.kind.rawValue)
            w.u32(UInt32(truncatingIfNeeded: name.count))
            w.raw(name)
            w.id(e.id)
            w.u64(e.size)
            w.u64(e.fileCount)
        }
        return w.bytes
    }

    public var id: ObjectID { ObjectID.of(encode()) }

    /// Throws when the tree could not be encoded canonically: bad or duplicate names, impossible counts.
    public func validate() throws {
        if entries.count > Int(UInt32.max) { throw CairnError("tree: too many entries (\(entries.count))") }
        for (i, e) in entries.enumerated() {
            if let reason = Tree.nameProblem(Array(e.name.utf8)) { throw CairnError("tree entry: \(reason)") }
            if e.kind != .directory && e.fileCount != 1 {
                throw CairnError("tree entry '\(e.name)': a file must have fileCount 1, not \(e.fileCount)")
            }
            if i > 0 && !Tree.precedes(entries[i - 1].name, e.name) {
                throw CairnError("tree: duplicate entry name '\(e.name)'")
            }
        }
    }

    public static func decode(_ bytes: [UInt8]) throws -> Tree {
        try bytes.withUnsafeBytes { try decode($0) }
    }

    public static func decode(_ buffer: UnsafeRawBufferPointer) throws -> Tree {
        var r = ByteReader(buffer)
        do {
            guard try r.u32() == Magic.tree else { throw CairnError("tree: bad magic (not a cairn tree)") }
            let version = try r.u32()
            guard version == Tree.version else {
                throw CairnError("tree: unsupported version \(version) (this cairn reads version \(Tree.version))")
            }
            let count = Int(try r.u32())
            // Each entry takes at least 53 bytes: bound the count before reserving memory for it.
            guard count <= r.remaining / 53 else { throw ByteReader.Truncated() }
            var entries: [TreeEntry] = []
            entries.reserveCapacity(count)
            var previous: [UInt8]? = nil
            for _ in 0..<count {
                let rawKind = try r.u8()
                guard let kind = EntryKind(rawValue: rawKind) else {
                    throw CairnError("tree: unknown entry kind \(rawKind)")
                }
                let nameLength = Int(try r.u32())
                let nameBytes = Array(try r.bytes(nameLength))
                if let reason = nameProblem(nameBytes) { throw CairnError("tree: \(reason)") }
                guard let name = String(validating: nameBytes, as: UTF8.self) else {
                    throw CairnError("tree: entry name is not valid UTF-8")
                }
                if let previous, !(previous.lexicographicallyPrecedes(nameBytes)) {
                    throw CairnError(previous == nameBytes ? "tree: duplicate entry name '\(name)'"
                                                           : "tree: entries are not sorted at '\(name)'")
                }
                previous = nameBytes
                let id = try r.id()
                let size = try r.u64()
                let fileCount = try r.u64()
                if kind != .directory && fileCount != 1 {
                    throw CairnError("tree: file entry '\(name)' has fileCount \(fileCount), expected 1")
                }
                entries.append(TreeEntry(name: name, kind: kind, id: id, size: size, fileCount: fileCount))
            }
            guard r.isAtEnd else { throw CairnError("tree: \(r.remaining) unexpected bytes after the last entry") }
            var tree = Tree(entries: [])
            tree.entries = entries
            return tree
        } catch is ByteReader.Truncated {
            throw CairnError("tree: truncated encoding")
        }
    }

    /// Why a name cannot appear in a tree, or nil when it can: the same rule as for pointers (Paths), so a tree
    /// from the store or a remote can never name `.git`, `.cairn`, `..` or a control character.
    static func nameProblem(_ name: [UInt8]) -> String? {
        name.isEmpty ? "empty entry name" : Paths.componentProblem(name).map { "entry " + $0 }
    }

    static func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
