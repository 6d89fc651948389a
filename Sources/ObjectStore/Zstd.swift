import Basics
import CZstd

/// zstd one-shot compression with pooled contexts: creating a context costs more than compressing a small
/// file, and a context must not be shared between threads, so each call borrows one from a pool.
enum Zstd {
    private static let compressors = ContextPool<Compressor>(make: { ZSTD_createCCtx().map(Compressor.init) },
                                                             free: { _ in })
    private static let decompressors = ContextPool<OpaquePointer>(make: { ZSTD_createDCtx() },
                                                                  free: { ZSTD_freeDCtx($0) })

    static func compressBound(_ count: Int) -> Int { ZSTD_compressBound(count) }

    /// Lends a compressor (context and scratch buffer) to `body`; it returns to the pool afterwards.
    static func withCompressor<T>(_ body: (Compressor) throws -> T) throws -> T {
        try compressors.with(body)
    }

    /// The content size a frame declares in its header (cairn always writes it), or nil when absent/invalid.
    static func frameContentSize(_ source: UnsafeRawBufferPointer) -> UInt64? {
        let n = ZSTD_getFrameContentSize(source.baseAddress, source.count)
        if n == ZSTD_CONTENTSIZE_UNKNOWN || n == ZSTD_CONTENTSIZE_ERROR { return nil }
        return UInt64(n)
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

/// A compression context with the scratch buffer records are built in. Kept in a pool, so the buffer's pages
/// stay mapped and are reused instead of being faulted in again for every chunk.
final class Compressor {
    private let ctx: OpaquePointer
    private var buffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    init(_ ctx: OpaquePointer) { self.ctx = ctx }

    deinit {
        ZSTD_freeCCtx(ctx)
        buffer.deallocate()
    }

    func scratch(capacity: Int) -> UnsafeMutableRawBufferPointer {
        if buffer.count < capacity {
            buffer.deallocate()
            buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 64)
        }
        return buffer
    }

    /// Returns the compressed size written into `destination`.
    func compress(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer,
                  level: Int32) throws -> Int {
        let n = ZSTD_compressCCtx(ctx, destination.baseAddress, destination.count, source.baseAddress, source.count, level)
        if ZSTD_isError(n) != 0 {
            throw CairnError("zstd: ZSTD_compressCCtx failed: \(String(cString: ZSTD_getErrorName(n)))")
        }
        return n
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
