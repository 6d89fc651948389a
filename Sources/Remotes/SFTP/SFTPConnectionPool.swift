#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A few SFTP sessions shared by the threads of one remote. Sessions are opened lazily, up to `limit`; a thread
/// takes one for a whole operation and gives it back, so no session is ever used by two threads at once. A
/// broken session (ssh died, protocol out of step) is closed and forgotten, and the next caller opens a new one.
final class SFTPConnectionPool: @unchecked Sendable {
    private let limit: Int
    private let open: () throws -> SFTPConnection
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let available = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var idle: [SFTPConnection] = []
    private var openCount = 0
    private var peakOpenCount = 0
    private var isClosed = false

    /// `open` starts and checks one session; it runs outside the lock, so slow logins do not block others.
    init(limit: Int, open: @escaping () throws -> SFTPConnection) {
        self.limit = max(1, limit)
        self.open = open
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(available, nil)
    }

    deinit {
        close()
        pthread_cond_destroy(available)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        available.deallocate()
    }

    /// Runs `body` with a session of its own.
    func withConnection<T>(_ body: (SFTPConnection) throws -> T) throws -> T {
        let connection = try acquire()
        defer { release(connection) }
        return try body(connection)
    }

    /// Ends every idle session; sessions in use end when they are given back. Later calls open new sessions
    /// again, so a closed remote keeps working if it is used after all.
    func close() {
        pthread_mutex_lock(mutex)
        let sessions = idle
        idle.removeAll()
        openCount -= sessions.count
        pthread_cond_broadcast(available)
        pthread_mutex_unlock(mutex)
        for session in sessions { session.close() }
    }

    /// For tests: sessions open or being opened now, the most there ever were, and the ssh processes of the
    /// idle ones.
    var statistics: (open: Int, peak: Int, idleProcesses: [Int32]) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return (openCount, peakOpenCount, idle.map(\.processID))
    }

    private func acquire() throws -> SFTPConnection {
        pthread_mutex_lock(mutex)
        while idle.isEmpty && openCount >= limit { pthread_cond_wait(available, mutex) }
        if let session = idle.popLast() {
            pthread_mutex_unlock(mutex)
            return session
        }
        openCount += 1
        peakOpenCount = max(peakOpenCount, openCount)
        pthread_mutex_unlock(mutex)
        do {
            return try open()
        } catch {
            pthread_mutex_lock(mutex)
            openCount -= 1
            pthread_cond_signal(available)
            pthread_mutex_unlock(mutex)
            throw error
        }
    }

    private func release(_ session: SFTPConnection) {
        pthread_mutex_lock(mutex)
        let keep = !session.isBroken
        if keep { idle.append(session) } else { openCount -= 1 }
        pthread_cond_signal(available)
        pthread_mutex_unlock(mutex)
        if !keep { session.close() }
    }
}
