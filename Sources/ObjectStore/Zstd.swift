import Basics
import CZstd

/// zstd one-shot compression with pooled contexts: creating a context costs more than compressing a small
/// file, and a context must not be shared between threads, so each call borrows one from a pool.
enum Zstd {
    private static let compressors = ContextPool<OpaquePointer>(make: { ZSTD_createCCtx() }, free: { ZSTD_freeCCtx($0) })
    private static let decompressors = ContextPool<OpaquePointer>(make: { ZSTD_createDCtx() },
                                                                  free: { ZSTD_freeDCtx($0) })

    static func compressBound(_ count: Int) -> Int { ZSTD_compressBound(count) }

    /// Returns the compressed size written into `destination`.
    static func compress(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer,
                         level: Int32) throws -> Int {
        try compressors.with { ctx in
            let n = ZSTD_compressCCtx(ctx, destination.baseAddress, destination.count,
                                      source.baseAddress, source.count, level)
            if ZSTD_isError(n) != 0 {
                throw CairnError("zstd: ZSTD_compressCCtx failed: \(String(cString: ZSTD_getErrorName(n)))")
            }
            return n
        }
    }

    /// Decompresses exactly `destination.count` bytes; a frame of any other size is an error (corrupt data).
    static func decompress(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) throws {
        try decompressors.with { ctx in
            let n = ZSTD_decompressDCtx(ctx, destination.baseAddress, destination.count,
                                        source.baseAddress, source.count)
            if ZSTD_isError(n) != 0 {
                throw CairnError("zstd: \(String(cString: ZSTD_getErrorName(n)))")
            }
            if n != destination.count {
                throw CairnError("zstd: frame holds \(n) bytes, expected \(destination.count)")
            }
        }
    }
}

/// A small free list of C contexts. Contexts are created on demand and kept for reuse; the pool never
/// holds more than a few since at most one per thread is borrowed at a time.
final class ContextPool<Context>: @unchecked Sendable {
    private var free: [Context] = []
    private let mutex = Mutex()
    private let make: () -> Context?
    private let release: (Context) -> Void

    init(make: @escaping () -> Context?, free release: @escaping (Context) -> Void) {
        self.make = make
        self.release = release
    }

    func with<T>(_ body: (Context) throws -> T) throws -> T {
        let borrowed = mutex.withLock { free.popLast() }
        guard let ctx = borrowed ?? make() else { throw CairnError("zstd: could not create a context (out of memory)") }
        defer {
            mutex.withLock {
                if free.count < 16 { free.append(ctx) } else { release(ctx) }
            }
        }
        return try body(ctx)
    }
}
