import XCTest
@testable import Basics
#if canImport(Glibc)
import Glibc
#endif

/// Issue 8, items 10 and 11: file-system failures injected through the `Syscalls` seam end as clean errors
/// of the right kind, with no partial or temporary file left, and descriptors are closed exactly once.
final class FaultInjectionTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        var template = Array((NSTemporaryDirectory() + "/cairn-faults-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CairnError("mkdtemp failed") }
        directory = String(cString: made)
    }

    override func tearDownWithError() throws {
        try FS.removeTree(directory)
    }

    private func entries() throws -> [String] { try FS.listDirectory(directory).map(\.name).sorted() }

    func testEveryFailingCallLeavesTheOldFileAndNoTemporaryFile() throws {
        let target = Paths.join(directory, "config")
        try FS.writeAtomically(target, "old\n")
        for call in ["open", "write", "fsync", "rename"] {
            for code in [ENOSPC, EIO, EDQUOT] {
                let table = Syscalls.failing(call, errno: code)
                XCTAssertThrowsError(try Syscalls.withTable(table) { try FS.writeAtomically(target, "new\n") }) { error in
                    guard let error = error as? CairnError else { return XCTFail("\(error)") }
                    let full = code == ENOSPC || code == EDQUOT
                    XCTAssertEqual(error.kind, full ? .noSpace : .localIO(errno: code), "\(call) \(code): \(error)")
                    XCTAssertTrue(error.isLocalIO)
                    XCTAssertFalse(error.message.contains("\n"), error.message)
                    XCTAssertTrue(error.message.hasPrefix(directory + "/"), "names the file: \(error.message)")
                    XCTAssertTrue(error.message.contains(String(cString: strerror(code))), error.message)
                }
                XCTAssertEqual(try FS.readString(target), "old\n", "\(call) \(code) damaged the old file")
                XCTAssertEqual(try entries(), ["config"], "\(call) \(code) left a partial file")
            }
        }
        try FS.writeAtomically(target, "new\n")
        XCTAssertEqual(try FS.readString(target), "new\n", "the real calls are back after withTable")
    }

    /// Before the fix a failed rename closed the temp file's descriptor a second time. The injected rename
    /// opens a file first, which takes the just-freed descriptor number (POSIX hands out the lowest): a second
    /// close would close that file, as it would close another thread's file in a parallel add.
    func testAFailedRenameClosesTheDescriptorOnlyOnce() throws {
        let target = Paths.join(directory, "pointer")
        let reopened = Locked<Int32>(-1)
        var table = Syscalls.system
        table.rename = { _, _ in
            reopened.withLock { $0 = open("/dev/null", O_RDONLY | O_CLOEXEC) }
            errno = EIO
            return -1
        }
        XCTAssertThrowsError(try Syscalls.withTable(table) { try FS.writeAtomically(target, "data\n") })
        let fd = reopened.snapshot
        XCTAssertGreaterThanOrEqual(fd, 0)
        XCTAssertNotEqual(fcntl(fd, F_GETFD), -1, "writeAtomically closed a descriptor it no longer owned")
        close(fd)
        XCTAssertEqual(try entries(), [])
    }
}
