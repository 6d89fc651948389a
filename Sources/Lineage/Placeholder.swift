import Basics
// Stub of the StatCache API so that Workspace compiles while the real module is written on a branch.
public struct StatCacheEntry: Sendable, Equatable { public var stat: FileStat; public var id: ObjectID
    public var observedNs: Int64 }
public final class StatCache: @unchecked Sendable {
    public static let schemaVersion: Int = 1
    public init(path: String) throws {}
    public func loadAll() throws -> [String: StatCacheEntry] { [:] }
    public func lookup(_ path: String) throws -> StatCacheEntry? { nil }
    public static func trusted(_ entry: StatCacheEntry, current: FileStat) -> Bool { false }
    public func record(_ items: [(path: String, stat: FileStat, id: ObjectID, observedNs: Int64)]) throws {}
    public func remove(pathsUnder prefix: String) throws {}
}
