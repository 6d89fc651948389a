import Basics
import Foundation
import XCTest
@testable import Remotes

/// S3Settings.resolve, request addressing, XML extraction and error classification, without a server.
final class S3SettingsTests: XCTestCase {
    private let keys = ["access_key_id": "AK", "secret_access_key": "SK"]

    private func resolve(_ options: [String: String], bucket: String = "data-bucket",
                         prefix: String = "team/cairn") throws -> S3Settings {
        try S3Settings.resolve(bucket: bucket, prefix: prefix, options: options.merging(keys) { a, _ in a },
                               environment: [:], home: "/nonexistent-home")
    }

    func testEndpointMeansPathStyle() throws {
        let settings = try resolve(["endpointurl": "http://127.0.0.1:8333", "region": "eu-central-1"])
        XCTAssertEqual(settings.addressing, .path)
        XCTAssertEqual(settings.region, "eu-central-1")
        XCTAssertEqual(settings.displayName, "s3://data-bucket/team/cairn")
        let request = S3Remote(settings: settings).signedRequest("GET", key: "team/cairn/packs/a b", query: [],
                                                                 headers: [:], payloadHash: SigV4Signer.emptyPayloadHash)
        XCTAssertEqual(request.url?.absoluteString, "http://127.0.0.1:8333/data-bucket/team/cairn/packs/a%20b")
        XCTAssertTrue(request.value(forHTTPHeaderField: "Authorization")?.contains("/eu-central-1/s3/") == true)
    }

    func testAWSDefaultsToVirtualHostsOfTheRegion() throws {
        let settings = try resolve(["region": "eu-west-2"])
        XCTAssertEqual(settings.endpoint.absoluteString, "https://s3.eu-west-2.amazonaws.com")
        XCTAssertEqual(settings.addressing, .virtualHost)
        let request = S3Remote(settings: settings).signedRequest("GET", key: nil, query: [("list-type", "2")],
                                                                 headers: [:], payloadHash: SigV4Signer.emptyPayloadHash)
        XCTAssertEqual(request.url?.absoluteString, "https://data-bucket.s3.eu-west-2.amazonaws.com/?list-type=2")
        XCTAssertEqual(try resolve([:], bucket: "dotted.bucket").addressing, .path, "dots break the TLS wildcard")
        XCTAssertEqual(try resolve([:]).region, "us-east-1")
    }

    func testBadEndpointAndBucketAreClearErrors() {
        XCTAssertThrowsError(try resolve(["endpointurl": "ftp://host"])) { error in
            XCTAssertTrue("\(error)".contains("endpointurl 'ftp://host'"), "\(error)")
        }
        XCTAssertThrowsError(try resolve([:], bucket: "Bad_Bucket")) { error in
            XCTAssertTrue("\(error)".contains("Bad_Bucket"), "\(error)")
        }
    }

    func testMissingCredentialsNameTheRemote() {
        XCTAssertThrowsError(try S3Settings.resolve(bucket: "b-1", prefix: "", options: [:], environment: [:],
                                                    home: "/nonexistent-home")) { error in
            XCTAssertTrue("\(error)".hasPrefix("remote s3://b-1: no AWS credentials found"), "\(error)")
        }
    }

    func testXMLExtraction() {
        let xml: Substring = """
            <ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>a &amp; b&#34;&#x41;</Key><Size>12</Size>\
            </Contents><Contents><Key>c&lt;d&gt;</Key><Size>0</Size></Contents><KeyCount>2</KeyCount>\
            <NextContinuationToken>tok/en=</NextContinuationToken><Prefix/></ListBucketResult>
            """
        XCTAssertEqual(S3XML.values("Key", in: xml), ["a & b\"A", "c<d>"])
        XCTAssertEqual(S3XML.blocks("Contents", in: xml).count, 2)
        XCTAssertEqual(S3XML.value("IsTruncated", in: xml), "true")
        XCTAssertEqual(S3XML.value("NextContinuationToken", in: xml), "tok/en=")
        XCTAssertEqual(S3XML.value("Prefix", in: xml), "")
        XCTAssertNil(S3XML.value("Missing", in: xml))
        XCTAssertEqual(S3XML.decodeEntities("&bogus; & &#xZZ;"), "&bogus; & &#xZZ;")
    }

    func testErrorClassification() {
        func classify(_ status: Int, _ code: String?) -> RemoteError {
            let body = code.map { "<Error><Code>\($0)</Code><Message>Some\nmessage</Message></Error>" } ?? ""
            return S3ErrorClassifier.response(status: status, body: Data(body.utf8), remote: "s3://b/p", name: "k",
                                              bucket: "b")
        }
        XCTAssertEqual(classify(403, "InvalidAccessKeyId").kind, .authentication)
        XCTAssertEqual(classify(403, "SignatureDoesNotMatch").kind, .authentication)
        XCTAssertEqual(classify(403, "AccessDenied").kind, .permissionDenied)
        XCTAssertEqual(classify(404, "NoSuchBucket").kind, .notFound)
        XCTAssertTrue(classify(404, "NoSuchBucket").message.contains("bucket 'b' does not exist"))
        XCTAssertEqual(classify(404, "NoSuchKey").kind, .notFound)
        XCTAssertEqual(classify(400, "EntityTooLarge").kind, .noSpace)
        XCTAssertEqual(classify(507, nil).kind, .noSpace)
        for (status, code) in [(503, "SlowDown"), (500, "InternalError"), (502, nil), (504, nil), (429, nil)] {
            let error = classify(status, code)
            XCTAssertEqual(error.kind, .other)
            XCTAssertTrue(error.isRetriable, "\(status) \(code ?? "") is transient")
        }
        XCTAssertFalse(classify(400, "InvalidArgument").isRetriable)
        XCTAssertEqual(classify(403, "RequestTimeTooSkewed").kind, .authentication)
        XCTAssertTrue(classify(403, "RequestTimeTooSkewed").message.contains("clock"))
        let described = classify(403, "AccessDenied").description
        XCTAssertEqual(described, "remote s3://b/p: k: access denied: AccessDenied: Some message (HTTP 403)")
    }
}
