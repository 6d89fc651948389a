import Basics

extension ObjectStore {
    /// Cleans up after a crash. The caller holds the exclusive repository lock, so no other process is
    /// writing: everything in tmp/ is garbage (this store's own active pack excepted). A pack without a usable
    /// index gets it rebuilt when the pack is intact; a damaged one has its good records copied into a new pack
    /// and is moved to quarantine/ (never deleted). `notify` receives one line for each index rebuilt and each
    /// pack quarantined (the things a user should hear about). Returns everything it did.
    @discardableResult
    public func sweepTemporaryFiles(notify: (String) -> Void = { _ in }) throws -> [String] {
        try mutex.withLock {
            var actions: [String] = []
            let active = writer?.file.path
            for (name, _) in try FS.listDirectory(temporaryDirectory) {
                let path = Paths.join(temporaryDirectory, name)
                if path == active { continue }
                try FS.removeFile(path)
                actions.append("removed \(path)")
            }
            let names = Set(try FS.listDirectory(packsDirectory).map(\.name))
            let loaded = Set(packs.map { Paths.basename($0.file.path) })
            for name in names.sorted() {
                let path = Paths.join(packsDirectory, name)
                if name.hasSuffix(".idx") {
                    if !names.contains(String(name.dropLast(4)) + ".pack") {
                        try FS.removeFile(path)
                        actions.append("removed \(path) (its pack is gone)")
                    }
                } else if name.hasSuffix(".pack") {
                    let hasIndex = names.contains(String(name.dropLast(5)) + ".idx")
                    if loaded.contains(name) && scannedPacks[name] == nil && hasIndex { continue }
                    let action = try repairPackLocked(path, hadIndex: hasIndex)
                    notify(action)
                    actions.append(action)
                } else if name.contains(".cairn-tmp-") {
                    try FS.removeFile(path)
                    actions.append("removed \(path)")
                }
            }
            for action in try finishInterruptedQuarantinesLocked() {
                notify(action)
                actions.append(action)
            }
            if !actions.isEmpty { FS.fsyncDirectory(packsDirectory) }
            return actions
        }
    }

    private func repairPackLocked(_ path: String, hadIndex: Bool) throws -> String {
        let name = Paths.basename(path)
        let stem = String(name.dropLast(5))
        let file = try packs.first(where: { $0.file.path == path })?.file ?? PackFile.open(path)
        let scan = try scannedPacks[name] ?? PackScanner.scan(file, expectedID: ObjectID(hex: stem))
        guard scan.isIntact, let packID = ObjectID(hex: stem) else {
            return try quarantineLocked(path, file: file, scan: scan)
        }
        try? FS.removeFile(Paths.join(packsDirectory, stem + ".idx"))
        try PackWriter.writeIndex(scan.entries, packID: packID, packsDirectory: packsDirectory,
                                  temporaryDirectory: temporaryDirectory)
        if !packs.contains(where: { $0.file === file }) { addLocked(LoadedPack(file: file, entries: scan.entries)) }
        scannedPacks[name] = nil
        return "rebuilt the \(hadIndex ? "damaged" : "missing") index of \(path) (\(Counted.of(scan.entries.count, "object")))"
    }

    /// Deletes every object not reachable from `roots` (file ids and tree ids). Reachability follows trees
    /// to their entries and manifests to their chunks. Packs holding dead objects are rewritten: live
    /// records are copied as stored (verified, not recompressed) into new packs, which are durable before
    /// the old packs are deleted, so a crash at any point loses nothing live. If a kept tree or manifest
    /// cannot be read, nothing is deleted. `dryRun` reports without changing anything.
    public func collectGarbage(keeping roots: Set<ObjectID>, dryRun: Bool) throws -> GarbageReport {
        try commit()
        let live = try reachableObjects(from: roots)
        // A damaged pack read without its index is never rewritten or deleted here: the sweep quarantines it.
        let snapshot: [LoadedPack] = mutex.withLock {
            packs.filter { scannedPacks[Paths.basename($0.file.path)]?.isIntact != false }
        }
        var report = GarbageReport()
        var doomed: [LoadedPack] = []
        for pack in snapshot {
            let dead = pack.entries.filter { !live.contains($0.id) || !isPrimary($0, in: pack.file) }
            if dead.isEmpty { continue }
            report.removedObjects += dead.count
            report.removedBytes += dead.reduce(0) { $0 + $1.recordLength }
            report.rewrittenPacks += 1
            doomed.append(pack)
        }
        if dryRun || doomed.isEmpty { return report }

        // Copy live records into new packs, then drop the old ones and reload the indexes.
        let copier = try PackWriter(temporaryDirectory: temporaryDirectory)
        var writers = [copier]
        var copied = Set<ObjectID>()
        for pack in doomed {
            for entry in pack.entries where live.contains(entry.id) && isPrimary(entry, in: pack.file)
                && copied.insert(entry.id).inserted {
                let bytes: [UInt8]
                let header: RecordHeader
                do {
                    bytes = try pack.file.readRecordBytes(entry)
                    header = try bytes.withUnsafeBytes { buffer -> RecordHeader in
                        _ = try pack.file.decodeRecord(buffer, entry: entry)
                        return RecordHeader(kind: entry.kind, codec: entry.codec, storedLength: entry.storedLength,
                                            rawLength: entry.rawLength, id: entry.id)
                    }
                } catch let error as CairnError {
                    // A kept object that fails: its pack must not be rewritten (and so deleted) without it.
                    throw CairnError("\(error.message); nothing was deleted (`cairn fsck --repair` replaces it from "
                        + "the remote, then run gc again)")
                }
                let w = writers[writers.count - 1]
                _ = try bytes.withUnsafeBytes { try w.append(EncodedRecord(header: header, bytes: $0)) }
                if w.size >= packTargetSize {
                    writers.append(try PackWriter(temporaryDirectory: temporaryDirectory))
                }
            }
        }
        try mutex.withLock {
            var written = Set<String>()
            for w in writers {
                if w.isEmpty { try FS.removeFile(w.file.path); continue }
                let id = try w.finalize(packsDirectory: packsDirectory, temporaryDirectory: temporaryDirectory)
                written.insert(Paths.join(packsDirectory, id.hex + ".pack"))
            }
            CrashPoint.midGC.reached()   // new packs written, old ones not yet deleted
            for pack in doomed {
                let path = pack.file.path
                // Packs are named by their content: a rewrite can produce exactly a pack that already exists
                // (left by a gc killed before it could delete the old packs). The name now holds the new,
                // live pack: deleting it as "doomed" would lose live objects.
                if written.contains(path) { continue }
                try FS.removeFile(path)
                try FS.removeFile(String(path.dropLast(5)) + ".idx")
            }
            FS.fsyncDirectory(packsDirectory)
            try loadIndexesLocked()
        }
        return report
    }

    /// Whether `entry` is the copy the store reads (another pack may hold a duplicate after a crash).
    private func isPrimary(_ entry: IndexEntry, in file: PackFile) -> Bool {
        guard let location = lookup(entry.id) else { return false }
        return location.pack === file && location.entry.offset == entry.offset
    }

    /// Every object reachable from the roots. Roots that are not in the store are skipped.
    func reachableObjects(from roots: Set<ObjectID>) throws -> Set<ObjectID> {
        var live = Set<ObjectID>()
        var pending = Array(roots)
        while let id = pending.popLast() {
            guard let location = lookup(id), live.insert(id).inserted else { continue }
            switch location.entry.kind {
            case .blob:
                break
            case .manifest:
                if let manifest = try readManifest(id) { pending.append(contentsOf: manifest.chunks.map(\.id)) }
            case .tree:
                pending.append(contentsOf: try readTree(id).entries.map(\.id))
            }
        }
        return live
    }
}
