import Basics

/// Where a team's objects live (issue 4): a folder, S3-compatible storage or an SSH server. Placeholder for
/// the protocol every remote kind implements; see docs/architecture.md.
public protocol Remote: Sendable {
    /// A short description for messages, e.g. `s3://bucket/prefix`.
    var displayName: String { get }
}
