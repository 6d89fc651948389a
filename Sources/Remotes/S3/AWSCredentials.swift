import Basics

/// An access key pair (and a session token for temporary credentials), found the way the AWS CLI finds it, so a
/// machine already set up for `aws s3` works with cairn unchanged.
public struct AWSCredentials: Equatable, Sendable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// Where the credentials came from, for messages ("remote options", "environment", "profile 'x' in …").
    public var source: String

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, source: String = "given") {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    /// The credential chain, first match wins:
    /// 1. the remote's options `access_key_id` / `secret_access_key` / `session_token`;
    /// 2. the environment: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN;
    /// 3. a profile (option `profile`, else AWS_PROFILE, else `default`) in the shared credentials file
    ///    (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials), then in the config file (AWS_CONFIG_FILE, else
    ///    ~/.aws/config, where sections are `[profile NAME]` except `[default]`).
    ///
    /// A profile named explicitly that exists in neither file is an error, as is finding nothing at all; both
    /// messages say where cairn looked. Half a key pair is an error too: silently falling through to another
    /// source would sign with credentials the user did not mean.
    public static func resolve(options: [String: String], environment: [String: String],
                               home: String) throws -> AWSCredentials {
        if let found = try pair(options["access_key_id"], options["secret_access_key"], options["session_token"],
                                source: "remote options", names: ("access_key_id", "secret_access_key")) {
            return found
        }
        if let found = try pair(environment["AWS_ACCESS_KEY_ID"], environment["AWS_SECRET_ACCESS_KEY"],
                                environment["AWS_SESSION_TOKEN"], source: "environment",
                                names: ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")) {
            return found
        }
        let files = AWSConfigFiles(environment: environment, home: home)
        let explicitProfile = nonEmpty(options["profile"]) ?? nonEmpty(environment["AWS_PROFILE"])
        let profile = explicitProfile ?? "default"
        let credentialsSection = try files.credentials()?.section(profile)
        let configSection = try files.config()?.profile(profile)
        for (section, file) in [(credentialsSection, files.credentialsPath), (configSection, files.configPath)] {
            guard let section else { continue }
            if let found = try pair(section["aws_access_key_id"], section["aws_secret_access_key"],
                                    section["aws_session_token"], source: "profile '\(profile)' in \(file)",
                                    names: ("aws_access_key_id", "aws_secret_access_key")) {
                return found
            }
        }
        if let explicitProfile, credentialsSection == nil, configSection == nil {
            throw CairnError("AWS profile '\(explicitProfile)' does not exist in \(files.credentialsPath) or "
                + "\(files.configPath)")
        }
        throw CairnError("no AWS credentials found: looked in the remote's options (access_key_id, "
            + "secret_access_key), the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) and profile "
            + "'\(profile)' in \(files.credentialsPath) and \(files.configPath)")
    }

    /// A key pair from one source, nil when the source has neither half.
    private static func pair(_ id: String?, _ secret: String?, _ token: String?, source: String,
                             names: (String, String)) throws -> AWSCredentials? {
        let id = nonEmpty(id), secret = nonEmpty(secret)
        switch (id, secret) {
        case (nil, nil): return nil
        case (let id?, let secret?):
            return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: nonEmpty(token),
                                  source: source)
        case (nil, _): throw CairnError("AWS credentials from \(source): \(names.1) is set but \(names.0) is not")
        case (_, nil): throw CairnError("AWS credentials from \(source): \(names.0) is set but \(names.1) is not")
        }
    }

    static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}

/// The AWS CLI's two shared files and where they are.
struct AWSConfigFiles {
    let credentialsPath: String
    let configPath: String

    init(environment: [String: String], home: String) {
        credentialsPath = AWSCredentials.nonEmpty(environment["AWS_SHARED_CREDENTIALS_FILE"])
            ?? Paths.join(home, ".aws/credentials")
        configPath = AWSCredentials.nonEmpty(environment["AWS_CONFIG_FILE"]) ?? Paths.join(home, ".aws/config")
    }

    func credentials() throws -> INIFile? { try INIFile.load(credentialsPath) }
    func config() throws -> INIFile? { try INIFile.load(configPath) }
}
