import Foundation
import XCTest

/// Base class: every test gets its own TempRepo (parallel-safe), removed in tearDown.
class EndToEndTestCase: XCTestCase {
    private var repos: [TempRepo] = []

    override func tearDown() {
        for repo in repos { repo.destroy() }
        repos.removeAll()
        super.tearDown()
    }

    /// A fresh Git repository; with `initialized` also `cairn init` (asserted to succeed).
    func makeRepo(initialized: Bool = true, git: Bool = true,
                  file: StaticString = #filePath, line: UInt = #line) throws -> TempRepo {
        let repo = try TempRepo(git: git)
        repos.append(repo)
        if initialized {
            let result = try repo.cairn("init")
            guard result.exitCode == 0 else {
                throw TestSetupError("cairn init failed, cannot run this test\n\(result.transcript)")
            }
        }
        return repo
    }

    /// Writes a file, runs `cairn add` on it, asserts success and returns the pointer.
    @discardableResult
    func addFile(_ repo: TempRepo, _ relative: String, text: String, extra: [String] = [],
                 file: StaticString = #filePath, line: UInt = #line) throws -> PointerText {
        try repo.write(relative, text)
        return try add(repo, relative, extra: extra, file: file, line: line)
    }

    @discardableResult
    func add(_ repo: TempRepo, _ relative: String, extra: [String] = [],
             file: StaticString = #filePath, line: UInt = #line) throws -> PointerText {
        let result = try repo.cairnArgs(["add", relative] + extra)
        guard result.exitCode == 0 else {
            throw TestSetupError("cairn add \(relative) failed\n\(result.transcript)")
        }
        let pointerPath = relative.hasSuffix(".cairn") ? relative : relative + ".cairn"
        return try repo.pointer(pointerPath)
    }

    /// Asserts that the file's bytes hash to the expected sha256 (coreutils), i.e. the content round-tripped.
    func assertContent(_ repo: TempRepo, _ relative: String, sha256 expected: String,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertTrue(repo.exists(relative), "\(relative) does not exist", file: file, line: line)
        guard repo.exists(relative) else { return }
        XCTAssertEqual(try repo.sha256(relative), expected, "\(relative) has the wrong content", file: file, line: line)
    }
}

extension TempRepo {
    /// `cairn` with an argument array (for arguments built at runtime).
    @discardableResult
    func cairnArgs(_ arguments: [String], cwd: String = "", env: [String: String] = [:]) throws -> CommandResult {
        try cairnArgsProcess(arguments, cwd: cwd, env: env).run()
    }
}
