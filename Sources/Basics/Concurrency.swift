import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain mutex (pthread). Used for short critical sections shared by worker threads.
public final class Mutex: @unchecked Sendable {
    // Allocated, not a stored property: `&property` gives pthread a temporary address Swift does not promise to
    // keep stable, and a mutex must never move while it is in use.
    private let m: UnsafeMutablePointer<pthread_mutex_t>
    public init() {
        m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        m.initialize(to: pthread_mutex_t())
        pthread_mutex_init(m, nil)
    }
    deinit {
        pthread_mutex_destroy(m)
        m.deinitialize(count: 1)
        m.deallocate()
    }
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(m)
        defer { pthread_mutex_unlock(m) }
        return try body()
    }
}

/// A value guarded by a mutex, for results gathered from worker threads.
public final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let mutex = Mutex()
    public init(_ value: Value) { self.value = value }
    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        try mutex.withLock { try body(&value) }
    }
    public var snapshot: Value { mutex.withLock { value } }
}

public enum Parallel {
    /// Number of worker threads: the cores, or CAIRN_JOBS.
    public static var workers: Int {
        if let raw = getenv("CAIRN_JOBS"), let n = Int(String(cString: raw)), n > 0 { return n }
        return max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    /// Runs `body(i)` for i in 0..<count on `workers` threads, handing out indices dynamically so slow items
    /// do not stall a fixed partition. The first error stops further work and is rethrown.
    public static func forEach(_ count: Int, workers: Int = Parallel.workers,
                               _ body: @Sendable (Int) throws -> Void) throws {
        if count == 0 { return }
        let work = SharedWork(count: count)
        DispatchQueue.concurrentPerform(iterations: min(workers, count)) { _ in work.run(body) }
        try work.rethrow()
    }

    /// Like `forEach`, for work that mostly waits (network transfers): each worker gets its own thread, even
    /// beyond the number of cores. `concurrentPerform` keeps to one thread per core, which would leave a
    /// `-j 8` transfer on a 2-core machine with two requests in flight.
    public static func forEachBlocking(_ count: Int, workers: Int, _ body: @Sendable @escaping (Int) throws -> Void) throws {
        if count == 0 { return }
        let work = SharedWork(count: count)
        let group = DispatchGroup()
        for worker in 0..<max(1, min(workers, count)) {
            // A serial queue of its own is backed by an overcommitting thread: it does not wait for a free core.
            DispatchQueue(label: "cairn.worker.\(worker)").async(group: group) { work.run(body) }
        }
        group.wait()
        try work.rethrow()
    }

    /// The indices still to hand out and the first failure, shared by the workers of one `forEach`.
    private final class SharedWork: Sendable {
        let count: Int
        let next = Locked(0)
        let failure = Locked<Error?>(nil)

        init(count: Int) { self.count = count }

        /// One worker: takes the next index until none are left or another worker failed.
        func run(_ body: (Int) throws -> Void) {
            while true {
                let i: Int = next.withLock { n in
                    let v = n; n += 1; return v
                }
                if i >= count || failure.snapshot != nil { return }
                do { try body(i) } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                    return
                }
            }
        }

        func rethrow() throws { if let error = failure.snapshot { throw error } }
    }
}
