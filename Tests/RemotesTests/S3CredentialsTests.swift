import Basics
import Foundation
import XCTest
@testable import Remotes

/// The credential chain and region lookup, with temporary ~/.aws files and environment dictionaries.
final class S3CredentialsTests: XCTestCase {
    private var home: ScratchDirectory!

    override func setUpWithError() throws { home = try ScratchDirectory("s3-home") }
    override func tearDown() { home = nil }

    private func writeCredentials(_ text: String) throws { try home.write(".aws/credentials", Array(text.utf8)) }
    private func writeConfig(_ text: String) throws { try home.write(".aws/config", Array(text.utf8)) }

    private func resolve(_ options: [String: String] = [:], _ environment: [String: String] = [:]) throws
        -> AWSCredentials {
        try AWSCredentials.resolve(options: options, environment: environment, home: home.path)
    }

    func testOptionsComeFirst() throws {
        try writeCredentials("[default]\naws_access_key_id = FILE\naws_secret_access_key = filesecret\n")
        let found = try resolve(["access_key_id": "OPT", "secret_access_key": "optsecret", "session_token": "tok"],
                                ["AWS_ACCESS_KEY_ID": "ENV", "AWS_SECRET_ACCESS_KEY": "envsecret"])
        XCTAssertEqual(found, AWSCredentials(accessKeyID: "OPT", secretAccessKey: "optsecret", sessionToken: "tok",
                                             source: "remote options"))
    }

    func testEnvironmentBeforeFiles() throws {
        try writeCredentials("[default]\naws_access_key_id = FILE\naws_secret_access_key = filesecret\n")
        let found = try resolve([:], ["AWS_ACCESS_KEY_ID": "ENV", "AWS_SECRET_ACCESS_KEY": "envsecret",
                                      "AWS_SESSION_TOKEN": "envtoken"])
        XCTAssertEqual(found.accessKeyID, "ENV")
        XCTAssertEqual(found.sessionToken, "envtoken")
        XCTAssertEqual(found.source, "environment")
    }

    func testDefaultProfileWithCommentsAndSpaces() throws {
        try writeCredentials("""
            # a comment
            ; another comment
            [other]
            aws_access_key_id=OTHER
            aws_secret_access_key=othersecret

            [ default ]
              region = ignored-nested-line
            aws_access_key_id   =   DEFAULTKEY   # inline comment
            aws_secret_access_key=se#cret=with=equals
            """)
        let found = try resolve()
        XCTAssertEqual(found.accessKeyID, "DEFAULTKEY")
        XCTAssertEqual(found.secretAccessKey, "se#cret=with=equals")
        XCTAssertNil(found.sessionToken)
        XCTAssertTrue(found.source.contains("profile 'default'"), found.source)
    }

    func testNamedProfileFromOptionThenEnvironment() throws {
        try writeCredentials("[team]\naws_access_key_id = TEAM\naws_secret_access_key = t\n"
            + "[ci]\naws_access_key_id = CI\naws_secret_access_key = c\naws_session_token = ctok\n")
        XCTAssertEqual(try resolve(["profile": "team"], ["AWS_PROFILE": "ci"]).accessKeyID, "TEAM")
        let fromEnvironment = try resolve([:], ["AWS_PROFILE": "ci"])
        XCTAssertEqual(fromEnvironment.accessKeyID, "CI")
        XCTAssertEqual(fromEnvironment.sessionToken, "ctok")
    }

    func testProfileInConfigFileUsesProfilePrefix() throws {
        try writeConfig("[profile dev]\nregion = eu-west-1\naws_access_key_id = DEV\naws_secret_access_key = d\n"
            + "[dev]\naws_access_key_id = WRONG\naws_secret_access_key = w\n")
        XCTAssertEqual(try resolve(["profile": "dev"]).accessKeyID, "DEV")
        XCTAssertEqual(try S3Settings.resolveRegion(options: ["profile": "dev"], environment: [:], home: home.path),
                       "eu-west-1")
    }

    func testDefaultProfileMayBeWrittenWithProfilePrefixInConfig() throws {
        try writeConfig("[profile default]\nregion = sa-east-1\naws_access_key_id = CFG\naws_secret_access_key = c\n")
        XCTAssertEqual(try resolve().accessKeyID, "CFG")
        XCTAssertEqual(try S3Settings.resolveRegion(options: [:], environment: [:], home: home.path), "sa-east-1")
    }

    func testFileLocationsFromEnvironment() throws {
        let elsewhere = try home.write("elsewhere/creds", Array("[default]\naws_access_key_id=ELSE\naws_secret_access_key=e\n".utf8))
        XCTAssertEqual(try resolve([:], ["AWS_SHARED_CREDENTIALS_FILE": elsewhere]).accessKeyID, "ELSE")
        let config = try home.write("elsewhere/config", Array("[default]\nregion = ap-south-1\n".utf8))
        XCTAssertEqual(try S3Settings.resolveRegion(options: [:], environment: ["AWS_CONFIG_FILE": config],
                                                    home: home.path), "ap-south-1")
    }

    func testMissingNamedProfileIsAClearError() throws {
        try writeCredentials("[default]\naws_access_key_id = D\naws_secret_access_key = d\n")
        XCTAssertThrowsError(try resolve(["profile": "nope"])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("profile 'nope' does not exist"), text)
            XCTAssertTrue(text.contains(".aws/credentials"), text)
            XCTAssertFalse(text.contains("\n"))
        }
    }

    func testNoCredentialsSaysWhereItLooked() throws {
        XCTAssertThrowsError(try resolve()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("no AWS credentials found"), text)
            for place in ["access_key_id", "AWS_ACCESS_KEY_ID", "profile 'default'", ".aws/credentials", ".aws/config"] {
                XCTAssertTrue(text.contains(place), "mentions \(place): \(text)")
            }
            XCTAssertFalse(text.contains("\n"))
        }
    }

    func testHalfAKeyPairIsAnError() throws {
        XCTAssertThrowsError(try resolve(["access_key_id": "ONLY"])) { error in
            XCTAssertTrue("\(error)".contains("secret_access_key"), "\(error)")
        }
        XCTAssertThrowsError(try resolve([:], ["AWS_SECRET_ACCESS_KEY": "only"])) { error in
            XCTAssertTrue("\(error)".contains("AWS_ACCESS_KEY_ID is not"), "\(error)")
        }
    }

    func testRegionOrder() throws {
        try writeConfig("[default]\nregion = from-config\n")
        func region(_ options: [String: String], _ environment: [String: String]) throws -> String {
            try S3Settings.resolveRegion(options: options, environment: environment, home: home.path)
        }
        XCTAssertEqual(try region(["region": "opt"], ["AWS_REGION": "env", "AWS_DEFAULT_REGION": "def"]), "opt")
        XCTAssertEqual(try region([:], ["AWS_REGION": "env", "AWS_DEFAULT_REGION": "def"]), "env")
        XCTAssertEqual(try region([:], ["AWS_DEFAULT_REGION": "def"]), "def")
        XCTAssertEqual(try region([:], [:]), "from-config")
        try FS.removeFile(home.file(".aws/config"))
        XCTAssertEqual(try region([:], [:]), "us-east-1")
    }
}
