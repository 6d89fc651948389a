import Basics
import Workspace
import Remotes

/// Where cairn keeps things on a remote (layout version 1, docs/formats.md "Remote layout"):
///
///     cairn-remote                      "cairn-remote 1\n": the layout version, written by the first push
///     packs/<2 hex>/<pack sha256>.pack  packs in the local store's pack format (self-verifying records)
///     index/<pack sha256>.idx           the pack's index; uploaded after its pack, so it is the commit point
///
/// Objects travel in packs so 100k small files cost a few dozen requests, not 100k. A pack without its index
/// (an interrupted push) is invisible to readers; the next push re-creates the same pack, finds it already
/// uploaded and only sends its index.
public enum RemoteLayout {
    public static let version = 1
    static let versionFile = "cairn-remote"
    static let indexPrefix = "index/"
    static let packsPrefix = "packs/"

    static func packName(_ id: ObjectID) -> String { "packs/\(id.hex.prefix(2))/\(id.hex).pack" }
    static func indexName(_ id: ObjectID) -> String { "index/\(id.hex).idx" }

    /// The pack id an `index/<hex>.idx` name stands for; nil for any other name.
    static func packID(fromIndexName name: String) -> ObjectID? {
        guard name.hasPrefix(indexPrefix), name.hasSuffix(".idx") else { return nil }
        return ObjectID(hex: name.dropFirst(indexPrefix.count).dropLast(4))
    }

    /// Checks the remote's layout version. Returns false when the remote holds no cairn data yet; with
    /// `create`, a remote without a version file gets one (the first push).
    @discardableResult
    static func check(_ remote: any Remote, create: Bool, scratch: String) throws -> Bool {
        let local = Paths.join(scratch, "cairn-remote-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FS.removeFile(local) }
        do {
            try remote.download(versionFile, to: local)
        } catch let error as RemoteError where error.kind == .notFound && error.name == versionFile {
            guard create else { return false }
            try FS.writeAtomically(local, "cairn-remote \(version)\n")
            try remote.upload(localFile: local, as: versionFile)
            return true
        }
        let text = (try? FS.readString(local))?.trimmingWhitespace ?? ""
        guard text == "cairn-remote \(version)" else {
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            throw CairnError("remote \(remote.displayName): \(versionFile) says '\(shown)'; this cairn reads layout "
                             + "'cairn-remote \(version)' (a newer cairn wrote it, or it is not a cairn remote)")
        }
        return true
    }
}
