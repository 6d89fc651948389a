import Basics

/// Rebuilds the index of a pack by walking it record by record. A pack found in packs/ without an index
/// is the trace of a crash between renaming the pack and writing its index; it is kept only if it is whole.
enum PackScanner {
    /// The pack's entries if every record decodes and verifies, the trailer's count and checksum match and
    /// the file hashes to its name; otherwise the reason it was rejected.
    static func scan(_ pack: PackFile, expectedID: ObjectID?) throws -> Result<[IndexEntry], CairnError> {
        let size = pack.size
        guard size >= UInt64(PackFormat.headerSize + PackFormat.trailerSize) else { return .failure(reject(pack, "too short")) }
        var hasher = ContentHasher()
        var head = [UInt8](repeating: 0, count: PackFormat.headerSize)
        guard try head.withUnsafeMutableBytes({ try pack.read(into: $0, at: 0) }),
              head == PackFormat.packHeader() else { return .failure(reject(pack, "bad pack header")) }
        hasher.update(head)
        let recordsEnd = size - UInt64(PackFormat.trailerSize)
        var offset = UInt64(PackFormat.headerSize)
        var entries: [IndexEntry] = []
        var headerBytes = [UInt8](repeating: 0, count: RecordHeader.size)
        while offset < recordsEnd {
            guard recordsEnd - offset >= UInt64(RecordHeader.size),
                  try headerBytes.withUnsafeMutableBytes({ try pack.read(into: $0, at: offset) }),
                  let header = headerBytes.withUnsafeBytes({ RecordHeader.parse($0) }) else {
                return .failure(reject(pack, "bad record header at offset \(offset)"))
            }
            let entry = IndexEntry(header, offset: offset)
            guard entry.recordLength <= recordsEnd - offset else {
                return .failure(reject(pack, "record at offset \(offset) runs past the end"))
            }
            do {
                let record = try pack.readRecordBytes(entry)
                _ = try record.withUnsafeBytes { try pack.decodeRecord($0, entry: entry) }
                hasher.update(record)
            } catch {
                return .failure(reject(pack, "\(error)"))
            }
            entries.append(entry)
            offset += entry.recordLength
        }
        var trailer = [UInt8](repeating: 0, count: PackFormat.trailerSize)
        guard offset == recordsEnd, try trailer.withUnsafeMutableBytes({ try pack.read(into: $0, at: recordsEnd) }),
              trailer == PackFormat.trailer(recordCount: UInt32(truncatingIfNeeded: entries.count),
                                            checksum: hasher.finalize()) else {
            return .failure(reject(pack, "trailer does not match the records"))
        }
        hasher.update(trailer)
        if let expectedID, hasher.finalize() != expectedID {
            return .failure(reject(pack, "content does not match the pack's name"))
        }
        return .success(entries)
    }

    private static func reject(_ pack: PackFile, _ why: String) -> CairnError {
        CairnError("\(pack.path): damaged pack (\(why))")
    }
}
