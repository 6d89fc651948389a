import Pipeline
import Workspace

/// Start-up wiring for runs in lineage: the indexer reads runs from cairn.lock files in history (Workspace cannot
/// import Pipeline, so the source is registered here), and recorded runs carry this cairn's version.
enum RunLineageSetup {
    static func install() {
        RunRecordSources.register(LockRunRecords())
        RunLineage.cairnVersion.withLock { $0 = CairnCommand.version }
    }
}
