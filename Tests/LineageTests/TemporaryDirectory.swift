import Basics
import Foundation
import XCTest

/// A fresh directory under the system temp dir, removed with everything in it when the test ends.
final class TemporaryDirectory {
    let path: String

    init(_ label: String = "lineage") throws {
        var template = Array((NSTemporaryDirectory() + "cairn-\(label)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CairnError.posix("mkdtemp", label, errno: errno) }
        path = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { Paths.join(path, name) }
}
