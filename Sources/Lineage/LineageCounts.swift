import Basics

/// How much the lineage database holds: for `cairn lineage` diagnostics, benchmarks and tests.
public struct LineageCounts: Sendable, Equatable, Codable {
    public var commits: Int
    public var indexedCommits: Int
    public var versions: Int
    public var pendingVersions: Int
    public var runs: Int

    public init(commits: Int, indexedCommits: Int, versions: Int, pendingVersions: Int, runs: Int) {
        self.commits = commits
        self.indexedCommits = indexedCommits
        self.versions = versions
        self.pendingVersions = pendingVersions
        self.runs = runs
    }
}

extension LineageStore {
    public func counts() throws -> LineageCounts {
        try lock.withLock {
            func count(_ sql: String) throws -> Int { Int(try database.scalarInt(sql) ?? 0) }
            return LineageCounts(
                commits: try count("SELECT count(*) FROM commits"),
                indexedCommits: try count("SELECT count(*) FROM commits WHERE indexed = 1"),
                versions: try count("SELECT count(*) FROM versions"),
                pendingVersions: try count("SELECT count(*) FROM versions WHERE commit_sha IS NULL"),
                runs: try count("SELECT count(*) FROM runs"))
        }
    }
}
