import Basics
// Stub of the ObjectStore API so that Workspace compiles while the real module is written on a branch.
public enum EntryKind: UInt8, Sendable { case file = 1, executable = 2, directory = 3 }
public struct TreeEntry: Sendable, Equatable {
    public var name: String; public var kind: EntryKind; public var id: ObjectID; public var size: UInt64
    public var fileCount: UInt64
    public init(name: String, kind: EntryKind, id: ObjectID, size: UInt64, fileCount: UInt64) {
        self.name = name; self.kind = kind; self.id = id; self.size = size; self.fileCount = fileCount
    }
}
public struct Tree: Sendable, Equatable {
    public var entries: [TreeEntry]
    public init(entries: [TreeEntry]) { self.entries = entries }
}
public struct GarbageReport: Sendable { public var removedObjects: Int; public var removedBytes: UInt64
    public var rewrittenPacks: Int }
public struct ObjectProblem: Sendable, Equatable { public enum Kind: Sendable { case missing, corrupt }
    public var id: ObjectID; public var kind: Kind; public var detail: String }
public final class ObjectStore: @unchecked Sendable {
    public static let formatVersion: Int = 1
    public init(directory: String, compressionLevel: Int32 = 1) throws { fatalError() }
    public func storeFile(path: String, progress: Progress? = nil) throws -> (id: ObjectID, size: UInt64) { fatalError() }
    public func storeTree(_ tree: Tree) throws -> ObjectID { fatalError() }
    public func commit() throws {}
    public func hasObject(_ id: ObjectID) -> Bool { fatalError() }
    public func hasFile(_ id: ObjectID) -> Bool { fatalError() }
    public func readTree(_ id: ObjectID) throws -> Tree { fatalError() }
    public func materialize(_ id: ObjectID, to destination: String, executable: Bool) throws {}
    public func sweepTemporaryFiles() throws {}
    public func collectGarbage(keeping roots: Set<ObjectID>, dryRun: Bool) throws -> GarbageReport { fatalError() }
    public func verifyFile(_ id: ObjectID) -> [ObjectProblem] { [] }
    public func verifyAll() -> [ObjectProblem] { [] }
    public var totalStoredBytes: UInt64 { 0 }
}
