import Basics
import Sync
import Workspace

/// The run-cache's side of `push/fetch/pull --run-cache` (Sync's RunCacheTransfer moves the files).
extension RunCache: RunCacheEntryStore {
    public func entryNames() throws -> [(key: String, name: String)] { try allEntryNames() }

    public func entryPath(key: String, name: String) -> String { Paths.join(keyDirectory(key), name) }

    /// Outs that may leave the machine, `cache: false` ones included (lookup needs them all to restore): `push:
    /// false` outs stay local (their entry still travels; a teammate's lookup then misses unless they have the data).
    public func remoteObjects(key: String, name: String) -> [ObjectID]? {
        guard let entry = try? read(key: key, name: name, warn: true) else { return nil }
        return entry.stage.outs.filter(\.push).map(\.id)
    }

    public func importEntry(_ bytes: [UInt8], key: String, name: String) throws {
        let label = display(key, name)
        guard ObjectID.of(bytes).hex == name else {
            throw CairnError("\(label): content does not match its name (damaged)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CairnError("\(label): not UTF-8 text")
        }
        let entry = try RunCacheEntry.decode(text, file: label)
        guard entry.key == key else {
            throw CairnError("\(label): recorded for key \(entry.key.prefix(12))…, not the one it is filed under")
        }
        try write(text, key: key)
    }
}
