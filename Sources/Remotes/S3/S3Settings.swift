import Basics
import Foundation

/// Everything an `S3Remote` needs to talk to one bucket: where (endpoint, region, addressing), what (bucket and
/// key prefix), as whom (credentials), and the transfer tuning. Built from a remote's URL and its config options
/// by `resolve`, or directly in tests.
public struct S3Settings: Equatable, Sendable {
    public enum Addressing: String, Equatable, Sendable {
        /// `https://endpoint/bucket/key`: what MinIO, SeaweedFS and Ceph need.
        case path
        /// `https://bucket.s3.region.amazonaws.com/key`: what AWS prefers for its own endpoints.
        case virtualHost
    }

    public var bucket: String
    /// Key prefix without leading or trailing "/", empty for the bucket's root.
    public var prefix: String
    /// Scheme, host and port (and an optional base path) of the service, e.g. `http://127.0.0.1:8333`.
    public var endpoint: URL
    public var region: String
    public var addressing: Addressing
    public var credentials: AWSCredentials
    /// Files larger than this are sent as multipart uploads.
    public var multipartThreshold: UInt64
    /// The size of each part of a multipart upload (S3 wants at least 5 MiB for all but the last part).
    public var partSize: UInt64
    /// How many parts of one multipart upload are sent at the same time.
    public var partConcurrency: Int
    /// Seconds without progress before a request fails as unreachable.
    public var requestTimeout: Double
    /// Keys per ListObjectsV2 page (S3's maximum is 1000); smaller pages only help tests reach the paging code.
    public var listPageSize = 1000

    public static let defaultMultipartThreshold: UInt64 = 64 << 20
    public static let defaultPartSize: UInt64 = 16 << 20

    public init(bucket: String, prefix: String = "", endpoint: URL, region: String = "us-east-1",
                addressing: Addressing = .path, credentials: AWSCredentials,
                multipartThreshold: UInt64 = S3Settings.defaultMultipartThreshold,
                partSize: UInt64 = S3Settings.defaultPartSize, partConcurrency: Int = 4, requestTimeout: Double = 15) {
        self.bucket = bucket
        self.prefix = prefix.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
        self.endpoint = endpoint
        self.region = region
        self.addressing = addressing
        self.credentials = credentials
        self.multipartThreshold = multipartThreshold
        self.partSize = max(partSize, 5 << 20)
        self.partConcurrency = max(1, partConcurrency)
        self.requestTimeout = requestTimeout
    }

    /// `s3://bucket/prefix`, the remote's name in messages.
    public var displayName: String { prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)" }

    /// Settings for `s3://bucket/prefix` with the remote's config options (lowercase keys): `endpointurl`,
    /// `region`, `profile`, `access_key_id`, `secret_access_key`, `session_token`.
    ///
    /// Region: option `region`, else AWS_REGION / AWS_DEFAULT_REGION, else the profile's `region` in the config
    /// file, else `us-east-1`. Without `endpointurl` the remote is AWS itself (`https://s3.<region>.amazonaws.com`,
    /// virtual-host addressing when the bucket name allows it); with one, path-style addressing is used.
    public static func resolve(bucket: String, prefix: String, options: [String: String],
                               environment: [String: String], home: String) throws -> S3Settings {
        let display = prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)"
        if let problem = RemoteURL.bucketProblem(bucket) { throw CairnError("remote \(display): \(problem)") }
        let credentials: AWSCredentials
        do { credentials = try AWSCredentials.resolve(options: options, environment: environment, home: home) } catch {
            throw CairnError("remote \(display): \(error)")
        }
        let region = try resolveRegion(options: options, environment: environment, home: home)
        var settings: S3Settings
        if let text = AWSCredentials.nonEmpty(options["endpointurl"]) {
            settings = S3Settings(bucket: bucket, prefix: prefix, endpoint: try parseEndpoint(text, remote: display),
                                  region: region, addressing: .path, credentials: credentials)
        } else {
            // Dotted bucket names do not match the wildcard TLS certificate of virtual hosts.
            let virtual = !bucket.contains(".")
            guard let endpoint = URL(string: "https://s3.\(region).amazonaws.com") else {
                throw CairnError("remote \(display): invalid region '\(region)'")
            }
            settings = S3Settings(bucket: bucket, prefix: prefix, endpoint: endpoint, region: region,
                                  addressing: virtual ? .virtualHost : .path, credentials: credentials)
        }
        if let threshold = options["multipart_threshold"] {
            guard let value = UInt64(threshold), value > 0 else {
                throw CairnError("remote \(display): multipart_threshold '\(threshold)' is not a byte count")
            }
            settings.multipartThreshold = value
        }
        return settings
    }

    static func resolveRegion(options: [String: String], environment: [String: String],
                              home: String) throws -> String {
        if let region = AWSCredentials.nonEmpty(options["region"])
            ?? AWSCredentials.nonEmpty(environment["AWS_REGION"])
            ?? AWSCredentials.nonEmpty(environment["AWS_DEFAULT_REGION"]) {
            return region
        }
        let profile = AWSCredentials.nonEmpty(options["profile"]) ?? AWSCredentials.nonEmpty(environment["AWS_PROFILE"])
            ?? "default"
        let config = try AWSConfigFiles(environment: environment, home: home).config()
        let section = config?.profile(profile)
        return AWSCredentials.nonEmpty(section?["region"]) ?? "us-east-1"
    }

    /// `http(s)://host[:port][/base]`; anything else would only fail later with a confusing network error.
    static func parseEndpoint(_ text: String, remote: String) throws -> URL {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
              components.query == nil, let url = components.url else {
            throw CairnError("remote \(remote): endpointurl '\(text)' is not an http:// or https:// URL")
        }
        return url
    }
}
