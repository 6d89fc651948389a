import Basics
// Stub of the GitBridge API so that Workspace compiles while the real module is written on a branch.
public final class GitRepository: @unchecked Sendable {
    public static func discover(startingAt path: String) throws -> GitRepository { fatalError() }
    public var workdir: String { "" }
    public var gitDir: String { "" }
    public func isTracked(_ relativePath: String) throws -> Bool { false }
    public func trackedPaths(under relativeDirectory: String) throws -> [String] { [] }
}
extension GitRepository {
    public static func initialize(at path: String) throws -> GitRepository { fatalError() }
}
