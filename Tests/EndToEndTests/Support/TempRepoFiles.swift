import Foundation

/// File operations on a TempRepo, all taking repo-relative paths. They throw on setup problems so that a broken
/// fixture is reported as an error, not as a misleading assertion failure.
extension TempRepo {
    func write(_ relative: String, _ text: String) throws {
        try write(relative, bytes: Array(text.utf8))
    }

    func write(_ relative: String, bytes: [UInt8]) throws {
        let full = path(relative)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
    }

    /// Writes `size` seeded random bytes and returns them.
    @discardableResult
    func writeRandom(_ relative: String, size: Int, seed: UInt64) throws -> [UInt8] {
        let bytes = SeededBytes.make(count: size, seed: seed)
        try write(relative, bytes: bytes)
        return bytes
    }

    /// A large file that costs little to create: holes with a random 64 KiB block every `stride` bytes.
    func writeSparse(_ relative: String, size: Int, stride: Int = 4 << 20, seed: UInt64) throws {
        let full = path(relative)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: full))
        defer { try? handle.close() }
        var offset = 0
        var blockSeed = seed
        while offset < size {
            let block = SeededBytes.make(count: min(64 << 10, size - offset), seed: blockSeed)
            try handle.seek(toOffset: UInt64(offset))
            handle.write(Data(block))
            offset += stride
            blockSeed &+= 1
        }
        try handle.truncate(atOffset: UInt64(size))
    }

    func read(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }

    func readText(_ relative: String) throws -> String {
        String(decoding: try read(relative), as: UTF8.self)
    }

    func pointer(_ relative: String) throws -> PointerText {
        PointerText(try readText(relative))
    }

    func exists(_ relative: String) -> Bool {
        var info = stat()
        return lstat(path(relative), &info) == 0
    }

    func isDirectory(_ relative: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path(relative), isDirectory: &isDir) && isDir.boolValue
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: path(relative))
    }

    func makeDirectory(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path(relative), withIntermediateDirectories: true)
    }

    func symlink(_ relative: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path(relative), withDestinationPath: destination)
    }

    func chmod(_ relative: String, _ mode: Int) throws {
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path(relative))
    }

    func isExecutable(_ relative: String) -> Bool {
        var info = stat()
        guard stat(path(relative), &info) == 0 else { return false }
        return info.st_mode & 0o100 != 0
    }

    /// Modification time in nanoseconds (stat's full resolution, so "not rewritten" is checked exactly).
    func mtimeNs(_ relative: String) -> Int64? {
        var info = stat()
        guard stat(path(relative), &info) == 0 else { return nil }
        return Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }

    func inode(_ relative: String) -> UInt64? {
        var info = stat()
        guard stat(path(relative), &info) == 0 else { return nil }
        return UInt64(info.st_ino)
    }

    /// Sets the mtime to a fixed moment in the past, so any rewrite is visible.
    func ageFile(_ relative: String, secondsSince1970: Int = 1_000_000_000) throws {
        let date = Date(timeIntervalSince1970: TimeInterval(secondsSince1970))
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path(relative))
    }

    /// sha256 computed by coreutils, independent of cairn's hashing.
    func sha256(_ relative: String) throws -> String {
        let result = try Subprocess(executable: "/usr/bin/sha256sum", arguments: ["-b", "--", path(relative)],
                                    workingDirectory: root, environment: Subprocess.baseEnvironment(),
                                    scratchDirectory: base).run()
        guard result.exitCode == 0, let hex = result.stdout.split(separator: " ").first else {
            throw TestSetupError("sha256sum \(relative) failed: \(result.stderr)")
        }
        // sha256sum marks names containing a backslash or newline with a leading "\\".
        return hex.hasPrefix("\\") ? String(hex.dropFirst()) : String(hex)
    }

    /// Regular files under a repo-relative directory, as sorted repo-relative paths.
    func files(under relative: String) -> [String] {
        let start = path(relative)
        guard let enumerator = FileManager.default.enumerator(atPath: start) else { return [] }
        var found: [String] = []
        while let item = enumerator.nextObject() as? String {
            var info = stat()
            if lstat(start + "/" + item, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
                found.append(relative.isEmpty ? item : relative + "/" + item)
            }
        }
        return found.sorted()
    }

    /// The largest regular file under a directory (e.g. a pack file to corrupt), or nil.
    func largestFile(under relative: String) -> String? {
        files(under: relative).max { lhs, rhs in
            ((try? FileManager.default.attributesOfItem(atPath: path(lhs))[.size] as? Int) ?? 0)
                < ((try? FileManager.default.attributesOfItem(atPath: path(rhs))[.size] as? Int) ?? 0)
        }
    }

    /// Flips every bit of the byte at `fraction` of the file's length, in place.
    func flipByte(_ relative: String, atFraction fraction: Double = 0.5) throws {
        var bytes = try read(relative)
        guard !bytes.isEmpty else { throw TestSetupError("\(relative) is empty; nothing to corrupt") }
        let index = min(bytes.count - 1, Int(Double(bytes.count) * fraction))
        bytes[index] ^= 0xFF
        // Write in place (same inode), as a disk error would; store files may be read-only, so lift that
        // for the write and put the mode back afterwards.
        let mode = try FileManager.default.attributesOfItem(atPath: path(relative))[.posixPermissions] as? Int ?? 0o444
        try chmod(relative, mode | 0o200)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path(relative)))
        try handle.seek(toOffset: UInt64(index))
        handle.write(Data([bytes[index]]))
        try handle.close()
        try chmod(relative, mode)
    }
}
