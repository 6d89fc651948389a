import Basics
import Workspace
import ObjectStore
import Remotes

/// `cairn status --remote`: for each selected target, whether its data is complete in the local cache and on
/// the remote. Reads only the remote's (cached) indexes: no data is transferred.
public enum RemoteStatusOperation {
    public struct Report: Sendable, Encodable {
        public var remote: String
        /// Complete locally, not (completely) on the remote: `cairn push` sends it.
        public var notOnRemote: [String] = []
        /// On the remote, not (completely) in the cache: `cairn pull` brings it.
        public var notInCache: [String] = []
        /// Incomplete in the cache and not on the remote either.
        public var missing: [String] = []
        public var inSync = 0

        enum CodingKeys: String, CodingKey {
            case remote, notOnRemote = "not_on_remote", notInCache = "not_in_cache", missing, inSync = "in_sync"
        }
    }

    public static func run(repo: CairnRepository, remote: any Remote, remoteName: String, targets: [TransferTarget],
                           jobs: Int) throws -> Report {
        let scratch = try TransferFolder(cacheDirectory: repo.store.directory)
        defer { scratch.remove() }
        try RemoteLayout.check(remote, create: false, scratch: scratch.path)
        let catalog = try RemoteCatalog.load(remote: remote, dotCairn: repo.dotCairn, jobs: jobs)
        var report = Report(remote: remoteName)
        for target in targets {
            let (present, missing) = try repo.store.closure(of: [target.id])
            // Children of objects that are on neither side are unknown; judge by what can be seen.
            let remoteComplete = present.allSatisfy(catalog.contains) && missing.allSatisfy(catalog.contains)
            if missing.isEmpty {
                if remoteComplete { report.inSync += 1 } else { report.notOnRemote.append(target.label) }
            } else if missing.allSatisfy(catalog.contains) {
                report.notInCache.append(target.label)
            } else {
                report.missing.append(target.label)
            }
        }
        return report
    }
}
