import Foundation
import XCTest

/// Issue 11, item 5: every run records where it ran (cairn, OS, kernel, architecture, the stage's programs and
/// versions, Python packages, the variables its command reads, secrets as set/unset only); `cairn lineage`,
/// `exp show --env` and the experiment commit carry it; `cairn reproduce` names each difference as a likely cause.
final class RunEnvironmentTests: EndToEndTestCase {
    /// One stage that reads $SEED and a secret and runs `sort` (a program on PATH with a --version).
    func writeSeededPipeline(_ repo: TempRepo) throws {
        try repo.write("params.yaml", "scale: 1\n")
        try repo.write("cairn.yaml", """
            stages:
              make:
                cmd: >-
                  echo "seed $SEED ${scale}" | sort > out.txt && : "$API_TOKEN"
                params: [scale]
                outs: [out.txt]
            """)
    }

    func testLineageShowsTheEnvironmentAndNeverTheSecret() throws {
        let repo = try makeRepo()
        try writeSeededPipeline(repo)
        try repo.repro(env: ["SEED": "7", "API_TOKEN": "hunter2-secret"]).assertSuccess()
        let text = try repo.cairn("lineage", "out.txt").assertSuccess()
        text.assertStdout(contains: "environment Linux", "cairn ", "sort ", "$SEED=7", "$API_TOKEN set")
        XCTAssertFalse(text.stdout.contains("hunter2"), text.transcript)

        let json = try repo.cairn("lineage", "out.txt", "--json").assertSuccess()
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let environment = ((parsed?["runs"] as? [[String: Any]])?.first?["environment"]) as? [String: Any]
        XCTAssertEqual(environment?["os"] as? String, "Linux", json.stdout)
        XCTAssertNotNil(environment?["kernel"] as? String)
        XCTAssertNotNil(environment?["architecture"] as? String)
        let programs = environment?["programs"] as? [[String: Any]]
        XCTAssertEqual(programs?.first?["name"] as? String, "sort")
        XCTAssertTrue((programs?.first?["path"] as? String)?.hasPrefix("/") ?? false)
        XCTAssertTrue((programs?.first?["version"] as? String)?.contains("sort") ?? false, json.stdout)
        let variables = environment?["variables"] as? [String: [String: Any]]
        XCTAssertEqual(variables?["SEED"]?["value"] as? String, "7")
        XCTAssertEqual(variables?["API_TOKEN"]?["set"] as? Bool, true)
        XCTAssertNil(variables?["API_TOKEN"]?["value"])
        // Not in the database file either.
        let database = try repo.read(".cairn/lineage.db")
        XCTAssertNil(String(decoding: database, as: UTF8.self).range(of: "hunter2"))
    }

    func testAPythonStageRecordsItsPackages() throws {
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile)
        else { throw XCTSkip("no python3") }
        let repo = try makeRepo()
        try repo.write("cairn.yaml", """
            stages:
              py:
                cmd: \(python) -c "open('p.txt', 'w').write('x')"
                outs: [p.txt]
            """)
        try repo.repro().assertSuccess()
        let json = try repo.cairn("lineage", "p.txt", "--json").assertSuccess()
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let environment = ((parsed?["runs"] as? [[String: Any]])?.first?["environment"]) as? [String: Any]
        let program = (environment?["programs"] as? [[String: Any]])?.first
        XCTAssertTrue((program?["version"] as? String)?.hasPrefix("Python 3.") ?? false, json.stdout)
        let packages = environment?["python_packages"] as? [String]
        XCTAssertNotNil(packages, json.stdout)
        XCTAssertTrue(packages?.allSatisfy { $0.contains("==") } ?? false)
    }

    func testAnExperimentCommitCarriesTheEnvironmentAndExpShowEnvShowsIt() throws {
        let repo = try makeRepo()
        try writeSeededPipeline(repo)
        try repo.repro(env: ["SEED": "1"]).assertSuccess()
        try repo.commitEverything("seeded")
        try repo.cairn("exp", "run", "-n", "two", "-S", "scale=2", env: ["SEED": "1"]).assertSuccess()
        let message = try repo.git("for-each-ref", "--format=%(contents)", "refs/exps/").stdout
        XCTAssertTrue(message.contains("cairn-exp-environment: make {"), message)
        XCTAssertTrue(message.contains("\"SEED\":{\"set\":true,\"value\":\"1\"}"), message)

        let show = try repo.cairn("exp", "show", "--env", "--wide").assertSuccess()
        show.assertStdout(contains: "Environment", "sort ")
        let json = try repo.cairnArgs(["exp", "show", "--env", "--json"]).assertSuccess()
        let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
        let two = rows.first { $0["name"] as? String == "two" }
        let environment = (two?["environment"] as? [String: Any])?["make"] as? [String: Any]
        XCTAssertEqual((environment?["programs"] as? [[String: Any]])?.first?["name"] as? String, "sort", json.stdout)
    }

    func testReproduceNamesTheChangedVariableAsTheLikelyCause() throws {
        let repo = try makeRepo()
        try writeSeededPipeline(repo)
        try repo.repro(env: ["SEED": "1"]).assertSuccess()
        try repo.commitEverything("seeded")
        let same = try repo.cairn("reproduce", "HEAD", env: ["SEED": "1"]).assertSuccess()
        XCTAssertFalse(same.stdout.contains("Environment differences"), same.transcript)

        let other = try repo.cairn("reproduce", "HEAD", env: ["SEED": "2"])
        XCTAssertEqual(other.exitCode, 1, other.transcript)
        other.assertStdout(contains: "Stage 'make': diverged", "Likely causes:", "$SEED: was '1', now '2'")
        other.assertStderr(contains: "Environment differs from the recorded run: $SEED: was '1', now '2'")
        let json = try repo.cairn("reproduce", "HEAD", "--json", env: ["SEED": "2"])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let causes = parsed?["likely_causes"] as? [String] ?? parsed?["likelyCauses"] as? [String] ?? []
        XCTAssertTrue(causes.contains { $0.hasPrefix("$SEED: was '1', now '2'") }, json.stdout)
    }

    func testReproduceOfAnExperimentUsesItsCommittedEnvironment() throws {
        let repo = try makeRepo()
        try writeSeededPipeline(repo)
        try repo.repro(env: ["SEED": "1"]).assertSuccess()
        try repo.commitEverything("seeded")
        try repo.cairn("exp", "run", "--temp", "-n", "hot", "-S", "scale=3", env: ["SEED": "5"]).assertSuccess()
        // The run is in lineage.db too; remove it so only the commit can say what SEED was.
        try FileManager.default.removeItem(atPath: repo.path(".cairn/lineage.db"))
        let result = try repo.cairn("reproduce", "hot", env: ["SEED": "6"])
        XCTAssertEqual(result.exitCode, 1, result.transcript)
        result.assertStdout(contains: "$SEED: was '5', now '6'")
        try repo.cairn("reproduce", "hot", env: ["SEED": "5"]).assertSuccess()
    }

    /// A queued experiment runs in a temporary worktree whose lineage.db goes with it: the lineage of its outputs
    /// comes from its commit, environment included.
    func testLineageOfAQueuedExperimentShowsTheEnvironmentFromItsCommit() throws {
        let repo = try makeRepo()
        try writeSeededPipeline(repo)
        try repo.repro(env: ["SEED": "1"]).assertSuccess()
        try repo.commitEverything("seeded")
        try repo.cairn("exp", "run", "--temp", "-n", "warm", "-S", "scale=4", env: ["SEED": "9"]).assertSuccess()
        let lineage = try repo.cairn("lineage", "out.txt", "--rev", "warm").assertSuccess()
        lineage.assertStdout(contains: "in experiment warm")
        lineage.assertStdout(contains: "$SEED=9")
        lineage.assertStdout(contains: "sort ")
    }
}
