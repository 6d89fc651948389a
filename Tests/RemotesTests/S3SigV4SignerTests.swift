import Foundation
import XCTest
@testable import Remotes

/// SigV4 against the worked examples of AWS's "Signature Calculations for the Authorization Header" page
/// (examplebucket, AKIAIOSFODNN7EXAMPLE, 2013-05-24).
final class S3SigV4SignerTests: XCTestCase {
    private let signer = SigV4Signer(
        credentials: AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1")
    private let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
    private let host = "examplebucket.s3.amazonaws.com"

    func testTimestampFormat() {
        XCTAssertEqual(SigV4Signer.timestamp(date), "20130524T000000Z")
        XCTAssertEqual(SigV4Signer.timestamp(Date(timeIntervalSince1970: 1_700_000_000.9)), "20231114T221320Z")
    }

    func testGetObjectExample() {
        let headers = ["host": host, "range": "bytes=0-9", "x-amz-content-sha256": SigV4Signer.emptyPayloadHash,
                       "x-amz-date": "20130524T000000Z"]
        let canonical = signer.canonicalRequest(method: "GET", encodedPath: "/test.txt", query: [], headers: headers,
                                                payloadHash: SigV4Signer.emptyPayloadHash)
        XCTAssertEqual(canonical, """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        XCTAssertEqual(signer.stringToSign(canonicalRequest: canonical, timestamp: "20130524T000000Z"), """
            AWS4-HMAC-SHA256
            20130524T000000Z
            20130524/us-east-1/s3/aws4_request
            7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
            """)
        let signed = signer.signedHeaders(method: "GET", encodedPath: "/test.txt", query: [], host: host,
                                          headers: ["Range": "bytes=0-9"], payloadHash: SigV4Signer.emptyPayloadHash,
                                          date: date)
        XCTAssertEqual(signed["authorization"],
                       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                       + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                       + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        XCTAssertEqual(signed["x-amz-date"], "20130524T000000Z")
        XCTAssertNil(signed["host"], "the HTTP client sets Host from the URL")
    }

    func testPutObjectExampleEncodesTheKey() {
        let body = Data("Welcome to Amazon S3.".utf8)
        let hash = SigV4Signer.payloadHash(body)
        XCTAssertEqual(hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let path = SigV4Signer.uriEncodedPath("/test$file.text")
        XCTAssertEqual(path, "/test%24file.text")
        let signed = signer.signedHeaders(method: "PUT", encodedPath: path, query: [], host: host,
                                          headers: ["Date": "Fri, 24 May 2013 00:00:00 GMT",
                                                    "x-amz-storage-class": "REDUCED_REDUNDANCY"],
                                          payloadHash: hash, date: date)
        XCTAssertEqual(signed["authorization"]?.components(separatedBy: "Signature=").last,
                       "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    func testListObjectsExampleSortsAndEncodesTheQuery() {
        let signed = signer.signedHeaders(method: "GET", encodedPath: "/", query: [("prefix", "J"), ("max-keys", "2")],
                                          host: host, payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        XCTAssertEqual(signed["authorization"]?.components(separatedBy: "Signature=").last,
                       "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    func testGetBucketLifecycleExampleHasAnEmptyQueryValue() {
        let signed = signer.signedHeaders(method: "GET", encodedPath: "/", query: [("lifecycle", "")], host: host,
                                          payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        XCTAssertEqual(signed["authorization"]?.components(separatedBy: "Signature=").last,
                       "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    func testSessionTokenIsSentAndSigned() {
        var withToken = signer
        withToken.credentials.sessionToken = "token/with+chars"
        let signed = withToken.signedHeaders(method: "GET", encodedPath: "/", query: [], host: host,
                                             payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        XCTAssertEqual(signed["x-amz-security-token"], "token/with+chars")
        XCTAssertTrue(signed["authorization"]?.contains("x-amz-date;x-amz-security-token,") == true)
    }

    func testURIEncoding() {
        XCTAssertEqual(SigV4Signer.uriEncodedPath("packs/b c/ünï~x_y-z.1"), "packs/b%20c/%C3%BCn%C3%AF~x_y-z.1")
        XCTAssertEqual(SigV4Signer.uriEncode("a/b+c=d&e", keepSlash: false), "a%2Fb%2Bc%3Dd%26e")
        XCTAssertEqual(SigV4Signer.canonicalQuery([("prefix", "a b/"), ("list-type", "2"), ("continuation-token", "x=")]),
                       "continuation-token=x%3D&list-type=2&prefix=a%20b%2F")
    }
}
