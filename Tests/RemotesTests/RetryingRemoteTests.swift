import Basics
import XCTest
@testable import Remotes

/// A remote that fails its first `failures` calls with a given error and then succeeds; counts the calls.
/// It stands for the wrapped remote only: no protocol or server is imitated.
final class FlakyRemote: Remote, @unchecked Sendable {
    let displayName = "flaky://test"
    private let state: Locked<(calls: Int, failuresLeft: Int)>
    private let error: RemoteError
    /// How long each call takes before it answers (a timeout that has to expire).
    private let callDuration: Double

    init(failures: Int, with kind: RemoteError.Kind, transient: Bool = false, callDuration: Double = 0) {
        state = Locked((0, failures))
        self.callDuration = callDuration
        error = RemoteError(kind, remote: "flaky://test", name: "f", "simulated \(kind)", transient: transient)
    }

    var calls: Int { state.snapshot.calls }

    private func step() throws {
        if callDuration > 0 { RetryingRemote.sleep(callDuration) }
        let fail = state.withLock { s -> Bool in
            s.calls += 1
            if s.failuresLeft > 0 { s.failuresLeft -= 1; return true }
            return false
        }
        if fail { throw error }
    }

    func exists(_ name: String) throws -> Bool { try step(); return true }
    func list(prefix: String) throws -> [RemoteFileInfo] { try step(); return [RemoteFileInfo(name: "f", size: 1)] }
    func upload(localFile: String, as name: String) throws { try step() }
    func download(_ name: String, to localFile: String) throws { try step() }
    func delete(_ name: String) throws { try step() }
}

final class RetryingRemoteTests: XCTestCase {
    /// Records the requested waits instead of sleeping, so the tests are instant and the backoff is visible.
    private final class SleepLog: @unchecked Sendable {
        let delays = Locked<[Double]>([])
        var sleep: @Sendable (Double) -> Void { { [delays] seconds in delays.withLock { $0.append(seconds) } } }
    }

    func testRetriesUnreachableUntilItSucceeds() throws {
        let flaky = FlakyRemote(failures: 3, with: .unreachable)
        let log = SleepLog()
        let remote = RetryingRemote(wrapping: flaky, attempts: 5, baseDelay: 0.1, sleep: log.sleep)
        XCTAssertTrue(try remote.exists("f"))
        XCTAssertEqual(flaky.calls, 4)
        let delays = log.delays.snapshot
        XCTAssertEqual(delays.count, 3)
        for (i, delay) in delays.enumerated() {
            XCTAssertGreaterThanOrEqual(delay, 0)
            XCTAssertLessThanOrEqual(delay, 0.1 * Double(1 << i), "wait \(i + 1) within its exponential ceiling")
        }
    }

    func testTransientOtherErrorsAreRetried() throws {
        let flaky = FlakyRemote(failures: 1, with: .other, transient: true)
        let remote = RetryingRemote(wrapping: flaky, attempts: 3, baseDelay: 0.001, sleep: SleepLog().sleep)
        XCTAssertEqual(try remote.list(prefix: ""), [RemoteFileInfo(name: "f", size: 1)])
        XCTAssertEqual(flaky.calls, 2)
    }

    func testNonRetriableErrorsAreThrownAtOnce() {
        for kind in [RemoteError.Kind.notFound, .permissionDenied, .noSpace, .authentication, .other] {
            let flaky = FlakyRemote(failures: 1, with: kind)
            let log = SleepLog()
            let remote = RetryingRemote(wrapping: flaky, attempts: 5, baseDelay: 0.1, sleep: log.sleep)
            XCTAssertThrowsError(try remote.upload(localFile: "/nonexistent", as: "f")) { error in
                XCTAssertEqual((error as? RemoteError)?.kind, kind)
            }
            XCTAssertEqual(flaky.calls, 1, "\(kind) must not be retried")
            XCTAssertEqual(log.delays.snapshot, [], "\(kind): no wait")
        }
    }

    func testGivesUpAfterTheAttemptsAndRethrowsTheLastError() {
        let flaky = FlakyRemote(failures: 100, with: .unreachable)
        let log = SleepLog()
        let remote = RetryingRemote(wrapping: flaky, attempts: 4, baseDelay: 0.01, sleep: log.sleep)
        XCTAssertThrowsError(try remote.download("f", to: "/tmp/x")) { error in
            XCTAssertEqual((error as? RemoteError)?.kind, .unreachable)
            XCTAssertEqual("\(error)", "remote flaky://test: f: simulated unreachable")
        }
        XCTAssertEqual(flaky.calls, 4)
        XCTAssertEqual(log.delays.snapshot.count, 3)
    }

    func testTotalWaitIsBoundedWhateverTheAttempts() {
        let flaky = FlakyRemote(failures: 1000, with: .unreachable)
        let log = SleepLog()
        let remote = RetryingRemote(wrapping: flaky, attempts: 1000, baseDelay: 0.5, maxDelay: 2, maxTotalDelay: 3,
                                    sleep: log.sleep)
        XCTAssertThrowsError(try remote.exists("f"))
        let total = log.delays.snapshot.reduce(0, +)
        XCTAssertLessThanOrEqual(total, 3.0 + 1e-9)
        XCTAssertLessThan(flaky.calls, 1000, "the time budget, not the attempt count, ended the retries")
        XCTAssertTrue(log.delays.snapshot.allSatisfy { $0 <= 2 }, "each wait capped at maxDelay")
    }

    /// Tries that each take long to fail (an endpoint that drops packets: every try waits for its timeout)
    /// must not add up: no new try starts after `maxElapsed`.
    func testSlowFailuresStopAfterTheElapsedBound() {
        let flaky = FlakyRemote(failures: 1000, with: .unreachable, callDuration: 0.1)
        let remote = RetryingRemote(wrapping: flaky, attempts: 1000, baseDelay: 0, maxTotalDelay: 100,
                                    maxElapsed: 0.35)
        XCTAssertThrowsError(try remote.exists("f"))
        XCTAssertGreaterThanOrEqual(flaky.calls, 3)
        XCTAssertLessThanOrEqual(flaky.calls, 5, "tries stop once 0.35 s have passed, not after 1000 attempts")
    }

    func testRealSleepKeepsAFailingRemoteFast() {
        let flaky = FlakyRemote(failures: 100, with: .unreachable)
        let remote = RetryingRemote(wrapping: flaky, attempts: 4, baseDelay: 0.01)
        let start = FS.nowNs()
        XCTAssertThrowsError(try remote.exists("f"))
        XCTAssertLessThan(FS.nowNs() - start, 1_000_000_000)
        XCTAssertEqual(flaky.calls, 4)
    }

    func testDeleteThatVanishedDuringARetryCountsAsDone() throws {
        // First call: unreachable (the delete may have happened); second: notFound, which means it did.
        final class DeleteRemote: Remote, @unchecked Sendable {
            let displayName = "d"
            let calls = Locked(0)
            func exists(_ name: String) throws -> Bool { false }
            func list(prefix: String) throws -> [RemoteFileInfo] { [] }
            func upload(localFile: String, as name: String) throws {}
            func download(_ name: String, to localFile: String) throws {}
            func delete(_ name: String) throws {
                let n = calls.withLock { $0 += 1; return $0 }
                throw RemoteError(n == 1 ? .unreachable : .notFound, remote: "d", name: name, "x")
            }
        }
        let inner = DeleteRemote()
        try RetryingRemote(wrapping: inner, attempts: 3, baseDelay: 0.001, sleep: SleepLog().sleep).delete("f")
        XCTAssertEqual(inner.calls.snapshot, 2)
        let direct = FlakyRemote(failures: 1, with: .notFound)
        XCTAssertThrowsError(try RetryingRemote(wrapping: direct, sleep: SleepLog().sleep).delete("f"),
                             "a notFound on the first try is still reported")
    }

    func testDelayCeilingGrowsExponentiallyAndIsCapped() {
        let remote = RetryingRemote(wrapping: FlakyRemote(failures: 0, with: .other), baseDelay: 0.2, maxDelay: 1)
        for _ in 0..<50 {
            XCTAssertLessThanOrEqual(remote.delay(afterAttempt: 1), 0.2)
            XCTAssertLessThanOrEqual(remote.delay(afterAttempt: 2), 0.4)
            XCTAssertLessThanOrEqual(remote.delay(afterAttempt: 10), 1)
        }
        let samples = (0..<200).map { _ in remote.delay(afterAttempt: 10) }
        XCTAssertGreaterThan(samples.max() ?? 0, 0.5, "jitter spans the range")
        XCTAssertNotEqual(Set(samples).count, 1, "jitter varies")
    }
}
