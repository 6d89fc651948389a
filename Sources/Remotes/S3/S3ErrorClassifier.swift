import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Turns what went wrong talking to S3 into a `RemoteError` whose kind tells the caller what to do (retry, fix
/// credentials, give up). Messages carry S3's own error code, since that is what users search for.
enum S3ErrorClassifier {
    /// A failure below HTTP: no connection, DNS, timeout, TLS.
    static func transport(_ error: Error, remote: String, name: String?, endpoint: String) -> RemoteError {
        guard let urlError = error as? URLError else {
            return RemoteError(.unreachable, remote: remote, name: name, "request to \(endpoint) failed: \(error)")
        }
        let what: String
        var kind = RemoteError.Kind.unreachable
        switch urlError.code {
        case .cannotConnectToHost: what = "cannot connect to \(endpoint) (connection refused)"
        case .cannotFindHost, .dnsLookupFailed: what = "cannot resolve the host of \(endpoint)"
        case .timedOut: what = "no answer from \(endpoint) (timed out)"
        case .networkConnectionLost: what = "the connection to \(endpoint) was lost"
        case .notConnectedToInternet: what = "no network to reach \(endpoint)"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
            // A certificate problem does not fix itself; retrying would only delay the message.
            what = "TLS connection to \(endpoint) failed: \(urlError.localizedDescription)"
            kind = .other
        default:
            what = "request to \(endpoint) failed: \(urlError.localizedDescription) (URLError \(urlError.code.rawValue))"
        }
        return RemoteError(kind, remote: remote, name: name, what)
    }

    /// S3's error code (`NoSuchKey`, `SlowDown`, …) in an error body, nil when there is none.
    static func code(_ body: Data) -> String? {
        S3XML.value("Code", in: Substring(String(decoding: body, as: UTF8.self)))
    }

    /// An HTTP answer that is not a success. `body` may be empty (HEAD answers have none).
    static func response(status: Int, body: Data, remote: String, name: String?, bucket: String) -> RemoteError {
        let xml = Substring(String(decoding: body, as: UTF8.self))
        let code = S3XML.value("Code", in: xml) ?? ""
        let message = S3XML.value("Message", in: xml).map { oneLine($0) } ?? ""
        let detail = code.isEmpty ? "HTTP \(status)" : (message.isEmpty ? "\(code) (HTTP \(status))"
                                                                          : "\(code): \(message) (HTTP \(status))")
        switch code {
        case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "TokenRefreshRequired",
             "AuthorizationHeaderMalformed", "InvalidSecurity", "MissingSecurityHeader":
            return RemoteError(.authentication, remote: remote, name: name, "wrong credentials: \(detail)")
        case "RequestTimeTooSkewed":
            return RemoteError(.authentication, remote: remote, name: name,
                               "this computer's clock differs too much from the server's: \(detail)")
        case "AccessDenied", "AllAccessDisabled", "AccountProblem":
            return RemoteError(.permissionDenied, remote: remote, name: name, "access denied: \(detail)")
        case "NoSuchBucket":
            return RemoteError(.notFound, remote: remote, name: name, "bucket '\(bucket)' does not exist: \(detail)")
        case "NoSuchKey", "NoSuchUpload":
            return RemoteError(.notFound, remote: remote, name: name, "no such file: \(detail)")
        case "EntityTooLarge", "QuotaExceeded", "StorageQuotaExceeded", "XMinioStorageFull":
            return RemoteError(.noSpace, remote: remote, name: name, "no space: \(detail)")
        case "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "InternalError",
             "ServiceUnavailable", "RequestTimeout":
            return RemoteError(.other, remote: remote, name: name, "temporary failure: \(detail)", transient: true)
        default:
            break
        }
        switch status {
        case 404: return RemoteError(.notFound, remote: remote, name: name, "not found: \(detail)")
        case 401: return RemoteError(.authentication, remote: remote, name: name, "wrong credentials: \(detail)")
        case 403: return RemoteError(.permissionDenied, remote: remote, name: name, "access denied: \(detail)")
        case 507: return RemoteError(.noSpace, remote: remote, name: name, "no space: \(detail)")
        case 408, 429, 500, 502, 503, 504:
            return RemoteError(.other, remote: remote, name: name, "temporary failure: \(detail)", transient: true)
        default:
            return RemoteError(.other, remote: remote, name: name, "request failed: \(detail)")
        }
    }

    /// S3 messages are one line already; a proxy's HTML error page is not.
    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
    }
}
