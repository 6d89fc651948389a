import Basics
import Foundation
import TestServers
import XCTest
@testable import Remotes

/// Starts one sshd per test class and builds remotes on it. A missing sshd skips the tests locally and fails
/// them on CI (`TestServers.mustRun`).
enum SFTPTestServer {
    static func start() throws -> SSHServer {
        do {
            return try SSHServer.start()
        } catch let missing as SSHServer.Unavailable {
            if TestServers.mustRun { XCTFail("\(missing)") }
            throw XCTSkip("\(missing)")
        }
    }

    /// Settings through the public factory, as the push/pull layer will build them: the server's user key and
    /// known_hosts unless `options` says otherwise.
    static func settings(_ server: SSHServer, path: String, port: Int? = nil,
                         options extra: [String: String] = [:]) throws -> SFTPSettings {
        var options = ["keyfile": server.userKey, "knownhostsfile": server.knownHosts]
        options.merge(extra) { $1 }
        return try SFTPSettings.resolve(user: server.user, host: "127.0.0.1", port: port ?? server.port, path: path,
                                        options: options, environment: ProcessInfo.processInfo.environment)
    }

    static func remote(_ server: SSHServer, path: String, port: Int? = nil,
                       options: [String: String] = [:]) throws -> SFTPRemote {
        SFTPRemote(settings: try settings(server, path: path, port: port, options: options))
    }
}
