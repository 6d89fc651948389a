import Basics

/// Damaged packs are kept, not deleted: every record in them that still verifies is copied into a new pack, and
/// the damaged file is moved to `quarantine/` with a report naming the objects that failed (docs/formats.md,
/// "Quarantined packs"). The report is what lets later commands say "corrupt" instead of "missing" for those
/// objects, and it survives until the user deletes the folder.
extension ObjectStore {
    static let reportSuffix = ".report"
    private static let damagedPrefix = "damaged sha256:"

    /// True when `id` is not readable because its record failed verification (in a scanned or quarantined pack).
    public func isDamaged(_ id: ObjectID) -> Bool {
        mutex.withLock { locations[id] == nil && damagedRecords[id] != nil }
    }

    /// For an object that is not readable because it is damaged: the message saying so, with the hint to
    /// repair it. nil when the object is readable or simply not here.
    public func damage(of id: ObjectID) -> String? {
        isDamaged(id) ? missing(id).message : nil
    }

    /// The objects named in the reports of quarantined packs, with a message naming the pack.
    func loadQuarantineReports() -> [ObjectID: String] {
        guard let names = try? FS.listDirectory(quarantineDirectory) else { return [:] }
        var damaged: [ObjectID: String] = [:]
        for (name, _) in names where name.hasSuffix(ObjectStore.reportSuffix) {
            let report = Paths.join(quarantineDirectory, name)
            guard let text = try? FS.readString(report) else { continue }
            let pack = String(report.dropLast(ObjectStore.reportSuffix.count))
            for line in text.split(separator: "\n") where line.hasPrefix(ObjectStore.damagedPrefix) {
                let hex = line.dropFirst(ObjectStore.damagedPrefix.count).prefix(64)
                guard let id = ObjectID(hex: hex) else { continue }
                damaged[id] = "object sha256:\(hex) is corrupt (its record fails verification in the quarantined "
                    + "pack \(pack))"
            }
        }
        return damaged
    }

    /// Verifies the stored record of each id (decoded and hashed, in parallel) and returns those that fail.
    /// Ids that are not stored are ignored. Chunks of a manifest are not followed: pass them too.
    func failingObjects(_ ids: [ObjectID]) -> Set<ObjectID> {
        let failing = Locked(Set<ObjectID>())
        try? Parallel.forEach(ids.count) { i in
            guard let location = self.lookup(ids[i]) else { return }
            do { _ = try location.pack.readObject(location.entry) } catch {
                failing.withLock { _ = $0.insert(ids[i]) }
            }
        }
        return failing.snapshot
    }

    /// Quarantines every finished pack that holds the stored record of one of `ids` (records that failed
    /// verification), after copying the pack's good records into a new pack. Returns one line per pack moved.
    /// The caller holds the exclusive repository lock.
    public func quarantinePacks(holding ids: Set<ObjectID>) throws -> [String] {
        try mutex.withLock {
            let active = writer?.file
            var paths = Set<String>()
            for id in ids {
                if let location = locations[id], location.pack !== active { paths.insert(location.pack.path) }
            }
            var actions: [String] = []
            for path in paths.sorted() {
                guard let file = packs.first(where: { $0.file.path == path })?.file else { continue }
                let stem = String(Paths.basename(path).dropLast(5))
                let scan = try PackScanner.scan(file, expectedID: ObjectID(hex: stem))
                if scan.isIntact { continue }    // the failure did not reproduce: nothing to move
                actions.append(try quarantineLocked(path, file: file, scan: scan))
            }
            return actions
        }
    }

    /// Moves the pack at `path` (and its index, if any) into quarantine/, then copies the records of `scan` that
    /// verify and are stored nowhere else into a new, durable pack, then writes the report. The move comes
    /// first because the copy can be byte for byte the pack itself (a truncated or renamed pack holds exactly
    /// the records of the pack it should be), and must not land on top of it. Nothing is deleted; a crash after
    /// the move leaves a quarantined pack without a report, which the next sweep salvages again.
    func quarantineLocked(_ path: String, file: PackFile, scan: PackScan) throws -> String {
        // Nothing may be read from the pack any more, and its own good entries must not count as copies found
        // elsewhere: forget every location in it (from its index and from the scan).
        let listed = packs.filter { $0.file === file }.flatMap(\.entries)
        for entry in listed + scan.entries where locations[entry.id]?.pack === file { locations[entry.id] = nil }
        packs.removeAll { $0.file === file }
        scannedPacks[Paths.basename(path)] = nil
        try FS.makeDirectories(quarantineDirectory)
        let target = freeQuarantinePath(for: Paths.basename(path))
        try FS.rename(path, target)
        let index = String(path.dropLast(5)) + ".idx"
        if path.hasSuffix(".pack") && FS.exists(index) { try FS.rename(index, target + ".idx") }
        FS.fsyncDirectory(quarantineDirectory)
        FS.fsyncDirectory(packsDirectory)
        try salvageLocked(target, file: file, scan: scan, from: path)
        let damaged = scan.damaged.isEmpty ? "" : "; \(Counted.of(scan.damaged.count, "object")) in it did not verify"
        return "moved the damaged pack \(path) to \(target) (\(scan.summary)); kept its \(Counted.of(scan.entries.count, "object"))"
            + " that verify\(damaged)"
    }

    /// Copies the good records of a quarantined pack that are stored nowhere else into a new pack, makes it
    /// durable, then writes the report next to the quarantined pack.
    func salvageLocked(_ quarantined: String, file: PackFile, scan: PackScan, from original: String) throws {
        var copied = 0
        for entry in scan.entries where locations[entry.id] == nil {
            let bytes = try file.readRecordBytes(entry)
            try bytes.withUnsafeBytes { buffer in
                _ = try file.decodeRecord(buffer, entry: entry)
                try appendLocked(EncodedRecord(header: entry.header, bytes: buffer))
            }
            copied += 1
        }
        try finalizeWriterLocked()
        var report = "cairn quarantined pack\nfrom \(original)\nat \(FS.nowNs() / 1_000_000_000)\n"
        for problem in scan.problems { report += "problem \(problem)\n" }
        report += "kept \(scan.entries.count) (copied \(copied) into \(packsDirectory), the rest were stored already)\n"
        for (id, detail) in scan.damaged { report += "\(ObjectStore.damagedPrefix)\(id.hex) \(detail)\n" }
        try FS.writeAtomically(quarantined + ObjectStore.reportSuffix, report)
        for (id, _) in scan.damaged {
            damagedRecords[id] = "object sha256:\(id.hex) is corrupt (its record fails verification in the "
                + "quarantined pack \(quarantined))"
        }
    }

    /// A pack in quarantine/ without a report was moved there by a command that was interrupted before it
    /// copied the pack's good records out: do it now. Returns one line per pack finished.
    func finishInterruptedQuarantinesLocked() throws -> [String] {
        guard let listing = try? FS.listDirectory(quarantineDirectory) else { return [] }
        let all = Set(listing.map(\.name))
        // Only what cairn put there: regular files named like packs (a user's notes or folders are left alone).
        let packs = listing.map(\.name).filter { name in
            name.contains(".pack") && (try? FS.stat(Paths.join(quarantineDirectory, name)))??.isRegular == true
        }
        var actions: [String] = []
        for name in packs.sorted() where !name.hasSuffix(ObjectStore.reportSuffix) && !name.hasSuffix(".idx")
            && !all.contains(name + ObjectStore.reportSuffix) {
            let path = Paths.join(quarantineDirectory, name)
            guard let file = try? PackFile.open(path) else { continue }
            let stem = name.hasSuffix(".pack") ? name.dropLast(5) : Substring(name)
            let scan = try PackScanner.scan(file, expectedID: ObjectID(hex: stem))
            try salvageLocked(path, file: file, scan: scan, from: "an interrupted quarantine")
            actions.append("kept the \(Counted.of(scan.entries.count, "object")) that verify in the quarantined pack \(path)")
        }
        return actions
    }

    /// `quarantine/NAME`, or `NAME.1`, `NAME.2`, ... when a pack of that name was quarantined before.
    private func freeQuarantinePath(for name: String) -> String {
        let base = Paths.join(quarantineDirectory, name)
        var candidate = base
        var n = 0
        while FS.exists(candidate) || FS.exists(candidate + ObjectStore.reportSuffix) {
            n += 1
            candidate = "\(base).\(n)"
        }
        return candidate
    }
}
