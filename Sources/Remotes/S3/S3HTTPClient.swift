import Basics
import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an HTTP exchange with S3 returned: the status, the headers (names lowercased) and the body, unless the
/// body went to a file.
struct S3Response: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data

    var isSuccess: Bool { (200..<300).contains(status) }
}

/// A synchronous front for one shared URLSession: `Remote` is called from worker threads and blocks, so each
/// call starts a task and waits on a semaphore until the session's delegate reports it finished.
///
/// The delegate (not completion handlers) is what makes downloads stream: response bytes are written to the
/// caller's file descriptor as they arrive, so memory stays flat for packs of any size, and an error body
/// (which is small XML) is kept in memory for the error message instead.
final class S3HTTPClient: @unchecked Sendable {
    enum Body {
        case none
        case data(Data)
        /// Streamed from the file by URLSession; the caller sets Content-Length.
        case file(String)
    }

    private let session: URLSession
    private let delegate = S3SessionDelegate()

    init(timeout: Double) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 16
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = timeout
        // No limit on a whole transfer: a large pack may take long, and a stalled one trips the idle timeout.
        configuration.timeoutIntervalForResource = 7 * 24 * 3600
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1  // the delegate's per-task bookkeeping relies on ordered callbacks
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
    }

    deinit { session.finishTasksAndInvalidate() }

    /// Sends `request` and waits for the answer. A 2xx body goes to `sink` when one is given (the number of bytes
    /// written is returned in the response's `x-cairn-written` header); transport failures are thrown as they come
    /// from URLSession, and a failed write to `sink` as the CairnError `writeFailure` produced.
    func send(_ request: URLRequest, body: Body, sink: Int32? = nil, sinkPath: String = "",
              discardSuccessBody: Bool = false) throws -> S3Response {
        let task: URLSessionTask
        switch body {
        case .none: task = session.dataTask(with: request)
        case .data(let data): task = session.uploadTask(with: request, from: data)
        case .file(let path): task = session.uploadTask(with: request, fromFile: URL(fileURLWithPath: path))
        }
        let state = S3TaskState(sink: sink, sinkPath: sinkPath, discardSuccessBody: discardSuccessBody)
        delegate.register(task.taskIdentifier, state)
        task.resume()
        state.done.wait()
        delegate.unregister(task.taskIdentifier)
        if let writeError = state.writeError { throw writeError }
        if let error = state.error { throw error }
        guard let http = state.response as? HTTPURLResponse else {
            throw URLError(.badServerResponse)
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        headers["x-cairn-written"] = String(state.written)
        return S3Response(status: http.statusCode, headers: headers, body: state.body)
    }
}

/// The bookkeeping of one task, filled in by the delegate on its queue and read by the waiting caller after
/// `done` is signalled (the semaphore orders the accesses).
final class S3TaskState: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    let sink: Int32?
    let sinkPath: String
    let discardSuccessBody: Bool
    var response: URLResponse?
    var body = Data()
    var written: UInt64 = 0
    var error: Error?
    var writeError: Error?

    init(sink: Int32?, sinkPath: String, discardSuccessBody: Bool) {
        self.sink = sink
        self.sinkPath = sinkPath
        self.discardSuccessBody = discardSuccessBody
    }

    var isSuccess: Bool { ((response as? HTTPURLResponse).map { (200..<300).contains($0.statusCode) }) ?? false }
}

/// Routes URLSession's callbacks to the state of the task they concern.
final class S3SessionDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let tasks = Locked<[Int: S3TaskState]>([:])
    /// Error bodies are short XML; anything longer is cut so a misbehaving server cannot fill memory.
    private static let maximumKeptErrorBody = 1 << 20

    func register(_ id: Int, _ state: S3TaskState) { tasks.withLock { $0[id] = state } }
    func unregister(_ id: Int) { _ = tasks.withLock { $0.removeValue(forKey: id) } }
    private func state(_ task: URLSessionTask) -> S3TaskState? { tasks.withLock { $0[task.taskIdentifier] } }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        state(dataTask)?.response = response
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let state = state(dataTask) else { return }
        if state.response == nil { state.response = dataTask.response }
        if state.isSuccess, state.discardSuccessBody { return }
        if state.isSuccess, let fd = state.sink {
            guard state.writeError == nil else { return }
            do {
                try data.withUnsafeBytes { try FS.writeAll(fd, $0, path: state.sinkPath) }
                state.written += UInt64(data.count)
            } catch {
                state.writeError = error
                dataTask.cancel()
            }
            return
        }
        // A listing page must arrive whole (max-keys bounds it); only error bodies are cut.
        if state.isSuccess || state.body.count < Self.maximumKeptErrorBody { state.body.append(data) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        guard let state = state(task) else { return }
        if state.response == nil { state.response = task.response }
        state.error = error
        state.done.signal()
    }

    /// S3 does not redirect requests that are signed for one host to another; following would only produce
    /// a confusing signature error, so the 3xx itself is returned and reported.
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
