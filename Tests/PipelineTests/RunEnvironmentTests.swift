import XCTest
@testable import Pipeline

/// RunEnvironment (issue 11 item 5): what is read from a command, the JSON format, and the differences reported.
final class RunEnvironmentTests: XCTestCase {
    func testProgramWordsSkipAssignmentsWrappersAndBuiltins() {
        typealias C = RunEnvironmentCapture
        XCTAssertEqual(C.programWords("python3 train.py --lr 0.1"), ["python3"])
        XCTAssertEqual(C.programWords("SEED=1 OMP_NUM_THREADS=4 python train.py"), ["python"])
        XCTAssertEqual(C.programWords("cd src && ./run.sh | sort -u > out; env -i FOO=1 Rscript x.R"),
                       ["./run.sh", "sort", "Rscript"])
        XCTAssertEqual(C.programWords("echo hi > a && test -f a && time nice -n 5 gzip a"), ["gzip"])
        XCTAssertEqual(C.programWords("'my tool' \"arg\"; (cat a)"), ["my tool", "cat"])
        XCTAssertEqual(C.programWords("echo 'a; rm -rf x' | wc -l"), ["wc"], "quoted separators do not split")
        XCTAssertEqual(C.programWords(""), [])
        XCTAssertEqual(C.programWords("$PYTHON train.py"), [], "a program named by a variable is not guessed")
    }

    func testReferencedVariablesHonourSingleQuotes() {
        typealias C = RunEnvironmentCapture
        XCTAssertEqual(C.referencedVariables("python t.py --seed $SEED --dir ${DATA_DIR:-data} \"$HOME\""),
                       ["SEED", "DATA_DIR", "HOME"])
        XCTAssertEqual(C.referencedVariables("echo '$NOT_THIS' $1 $@ $? \\$ESCAPED $_ok"), ["_ok"])
        XCTAssertEqual(C.referencedVariables("echo $"), [])
    }

    func testSecretsAreRecordedAsSetOnly() throws {
        let environment = RunEnvironmentCapture.capture(
            commands: ["echo $API_TOKEN $AWS_SECRET_ACCESS_KEY $db_password $SEED $MISSING $CAIRN_ROOT"],
            directory: "/", root: "/nonexistent",
            environment: ["API_TOKEN": "t0p", "AWS_SECRET_ACCESS_KEY": "s3cr3t", "db_password": "pw", "SEED": "4",
                          "CAIRN_ROOT": "/x", "PATH": "/usr/bin:/bin"])
        let byName = Dictionary(uniqueKeysWithValues: environment.variables.map { ($0.name, $0) })
        XCTAssertEqual(byName["SEED"], .init(name: "SEED", isSet: true, value: "4"))
        XCTAssertEqual(byName["MISSING"], .init(name: "MISSING", isSet: false, value: nil))
        for secret in ["API_TOKEN", "AWS_SECRET_ACCESS_KEY", "db_password"] {
            XCTAssertEqual(byName[secret], .init(name: secret, isSet: true, value: nil))
        }
        XCTAssertNil(byName["CAIRN_ROOT"], "cairn's own variables name the work tree")
        for secret in ["t0p", "s3cr3t", "pw"] { XCTAssertFalse(environment.json.contains(secret)) }
        XCTAssertNotNil(environment.os)
        XCTAssertNotNil(environment.architecture)
    }

    func testProgramsOnPathAreResolvedWithTheirVersion() throws {
        let environment = RunEnvironmentCapture.capture(commands: ["sort -u a > b", "no-such-program-here x"],
                                                        directory: "/", root: "/nonexistent",
                                                        environment: ["PATH": "/usr/bin:/bin"])
        XCTAssertEqual(environment.programs.map(\.name), ["sort", "no-such-program-here"])
        XCTAssertEqual(environment.programs[0].path?.hasSuffix("/sort"), true)
        XCTAssertEqual(environment.programs[0].version?.contains("sort"), true, "\(environment.programs)")
        XCTAssertNil(environment.programs[1].path)
        XCTAssertNil(environment.pythonPackages)
    }

    func testJSONRoundTripAndUnknownInput() throws {
        var environment = RunEnvironment()
        environment.cairnVersion = "1.2.3"
        environment.os = "Linux"
        environment.kernel = "6.1.0"
        environment.architecture = "x86_64"
        environment.programs = [.init(name: "python3", path: "/usr/bin/python3", version: "Python 3.11.2"),
                                .init(name: "./run.sh", path: "run.sh", version: nil)]
        environment.pythonPackages = ["numpy==1.26.4"]
        environment.variables = [.init(name: "API_KEY", isSet: true, value: nil), .init(name: "SEED", isSet: true, value: "1")]
        XCTAssertFalse(environment.json.contains("\n"))
        XCTAssertEqual(RunEnvironment.parse(environment.json), environment)
        XCTAssertEqual(environment.programs[0].shortVersion, "3.11.2")
        XCTAssertNil(RunEnvironment.parse("not json"))
        XCTAssertNil(RunEnvironment.parse("[1]"))
        XCTAssertEqual(RunEnvironment.parse("{\"version\": 9, \"future\": true}"), RunEnvironment())
    }

    func testDifferencesNameWhatChanged() {
        var was = RunEnvironment()
        was.cairnVersion = "1.0"
        was.kernel = "6.1"
        was.programs = [.init(name: "python3", path: "/usr/bin/python3", version: "Python 3.11.2"),
                        .init(name: "gzip", path: "/usr/bin/gzip", version: "gzip 1.12")]
        was.pythonPackages = ["numpy==1.26.4", "pandas==2.2.0"]
        was.variables = [.init(name: "SEED", isSet: true, value: "1"), .init(name: "API_KEY", isSet: true, value: nil)]
        var now = was
        XCTAssertEqual(now.differences(from: was), [])
        now.programs[0].version = "Python 3.12.1"
        now.programs[1].path = nil
        now.pythonPackages = ["numpy==2.0.0", "torch==2.3.0"]
        now.variables = [.init(name: "SEED", isSet: true, value: "2"), .init(name: "API_KEY", isSet: false, value: nil)]
        now.kernel = "6.8"
        XCTAssertEqual(now.differences(from: was), [
            "program python3: version was 'Python 3.11.2', now 'Python 3.12.1'",
            "program gzip: was /usr/bin/gzip, not found now",
            "Python packages: numpy 1.26.4 → 2.0.0, pandas removed, torch 2.3.0 added",
            "$SEED: was '1', now '2'",
            "$API_KEY: set then, unset now",
            "kernel: was 6.1, now 6.8",
        ])
        XCTAssertEqual(RunEnvironment().differences(from: RunEnvironment()), [])
        XCTAssertEqual(now.differences(from: RunEnvironment()), [], "an empty record has nothing to compare")
    }

    func testPythonDistributionNames() {
        XCTAssertEqual(PythonPackages.distribution("numpy-1.26.4.dist-info").map { [$0.0, $0.1] }, ["numpy", "1.26.4"])
        XCTAssertEqual(PythonPackages.distribution("foo-1.0-py3.11.egg-info").map { [$0.0, $0.1] }, ["foo", "1.0"])
        XCTAssertNil(PythonPackages.distribution("numpy"))
        XCTAssertNil(PythonPackages.distribution("-.dist-info"))
        XCTAssertTrue(PythonPackages.isPython("/usr/bin/python3.11"))
        XCTAssertFalse(PythonPackages.isPython("pytest"))
    }

    func testAScriptInTheRepositoryIsNotRunButItsInterpreterIs() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("env-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let marker = root + "/ran"
        try "#!/usr/bin/env sort\ntouch \(marker)\n".write(toFile: root + "/tool.sh", atomically: true, encoding: .utf8)
        chmod(root + "/tool.sh", 0o755)
        let environment = RunEnvironmentCapture.capture(commands: ["./tool.sh x"], directory: root, root: root,
                                                        environment: ["PATH": "/usr/bin:/bin"])
        XCTAssertEqual(environment.programs.map(\.name), ["./tool.sh", "sort"])
        XCTAssertEqual(environment.programs[0].path, "tool.sh")
        XCTAssertNil(environment.programs[0].version)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "the script was run to ask its version")
    }

    func testAProgramThatFailsOnVersionHasNoVersion() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, body) in [("fails", "echo 'fails: not an option: --version'; exit 2"), ("answers", "echo 'answers 1.2.3'")] {
            try "#!/bin/sh\n\(body)\n".write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
            chmod(directory + "/" + name, 0o755)
        }
        let environment = RunEnvironmentCapture.capture(commands: ["fails a && answers b"], directory: "/",
                                                        root: "/nonexistent", environment: ["PATH": directory])
        XCTAssertEqual(environment.programs, [.init(name: "fails", path: directory + "/fails", version: nil),
                                              .init(name: "answers", path: directory + "/answers", version: "answers 1.2.3")])
    }
}
