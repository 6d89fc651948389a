import Foundation
import XCTest
@testable import Hooks

/// The installed binary carries the hook scripts in Swift; `hooks/` holds the same text for review. They
/// must never drift apart.
final class HookScriptsTests: XCTestCase {
    private var hooksDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("hooks").path
    }

    func testEmbeddedScriptsEqualTheFilesInHooksDirectory() throws {
        for name in HookScripts.names {
            let file = try String(contentsOfFile: hooksDirectory + "/" + name, encoding: .utf8)
            XCTAssertEqual(file, HookScripts.script(name), "hooks/\(name) differs from HookScripts.script(\"\(name)\")")
        }
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: hooksDirectory).sorted()
        XCTAssertEqual(onDisk, HookScripts.names.sorted(), "hooks/ must hold exactly the hooks cairn installs")
    }

    func testScriptsAreMarkedChainAndCallCairn() {
        for name in HookScripts.names {
            let lines = HookScripts.script(name).split(separator: "\n").map(String.init)
            XCTAssertEqual(lines.first, "#!/bin/sh")
            XCTAssertEqual(lines[1], HookScripts.marker(name))
            if HookScripts.readsStdin.contains(name) {
                // Git's stdin is kept in a file so the user's hook and cairn both read all of it.
                XCTAssertTrue(lines.contains("\"$cairn_bin\" hook \(name) \"$@\" < \"$input\""), name)
                XCTAssertTrue(lines.contains("cat > \"$input\""), name)
            } else {
                XCTAssertTrue(lines.contains("exec \"$cairn_bin\" hook \(name) \"$@\""), name)
            }
            XCTAssertTrue(lines.contains { $0.contains(HookScripts.userHookName(name)) })
        }
    }

    func testHookFilesAreExecutable() {
        for name in HookScripts.names {
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: hooksDirectory + "/" + name), name)
        }
    }
}
