import Basics
import Workspace
import Dispatch

/// A producer hands items to `workers` threads that process them while it produces the next one (push builds
/// pack N+1 while packs N, N-1, … upload). At most `capacity` items wait or run at once, so a fast producer
/// cannot fill the disk with packs nobody has uploaded yet. The first failure stops the queue and is rethrown
/// by `submit` and `finish`.
final class WorkQueue<Item: Sendable>: @unchecked Sendable {
    private let pending = Locked<[Item?]>([])
    private let available = DispatchSemaphore(value: 0)
    private let slots: DispatchSemaphore
    private let group = DispatchGroup()
    private let failure = Locked<Error?>(nil)
    private let workers: Int

    init(workers: Int, capacity: Int, _ process: @escaping @Sendable (Item) throws -> Void) {
        self.workers = max(1, workers)
        slots = DispatchSemaphore(value: max(capacity, self.workers))
        for worker in 0..<self.workers {
            // Own serial queues: overcommitting threads, so waiting on the network does not hold a core's slot.
            DispatchQueue(label: "cairn.queue.\(worker)").async(group: group) { [self] in
                while true {
                    available.wait()
                    guard let item = pending.withLock({ $0.removeFirst() }) else { return }
                    if failure.snapshot == nil {
                        do { try process(item) } catch { failure.withLock { if $0 == nil { $0 = error } } }
                    }
                    slots.signal()
                }
            }
        }
    }

    /// Queues `item`, waiting while the queue is full. Throws the first failure of a worker, if any.
    func submit(_ item: Item) throws {
        if let error = failure.snapshot { throw error }
        slots.wait()
        pending.withLock { $0.append(item) }
        available.signal()
    }

    /// Waits for every queued item, stops the workers and rethrows the first failure.
    func finish() throws {
        pending.withLock { for _ in 0..<workers { $0.append(nil) } }
        for _ in 0..<workers { available.signal() }
        group.wait()
        if let error = failure.snapshot { throw error }
    }
}
