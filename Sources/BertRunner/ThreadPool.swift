import BertKernels

/// Runs a fixed number of workers over a split range; the calling thread is one of them.
public struct ThreadPool: Sendable {
    /// How many workers share each parallel region.
    public let count: Int
    private let workers: Workers?

    public init(count: Int) {
        let workers = count > 1 ? Workers(threads: count) : nil
        self.workers = workers
        self.count = workers?.threads ?? 1
    }

    /// Splits `0..<total` into `chunksPerWorker × count` contiguous chunks (at most `total`) and runs
    /// `body(worker, chunk)` on each, in parallel; each chunk goes to whichever thread claims it
    /// first. `worker` is below `count` and no two threads share one, so it can index per-worker
    /// scratch. When the pool is already running another region, the chunks run on this thread.
    public func forEachChunk(_ total: Int, chunksPerWorker: Int = 1,
                             _ body: (_ worker: Int, _ chunk: Range<Int>) -> Void) {
        let chunks = min(count * chunksPerWorker, total)
        guard chunks > 1, let workers else {
            if total > 0 { body(0, 0..<total) }
            return
        }
        withoutActuallyEscaping(body) { body in
            var region = Region(body: body, total: total, chunks: chunks)
            // SAFETY: bk_pool_run returns only after every chunk has finished with `region`.
            let ran = withUnsafeMutablePointer(to: &region) { region in
                bk_pool_run(workers.pool, Int32(chunks), { context, worker, chunk in
                    context!.assumingMemoryBound(to: Region.self).pointee.run(Int(chunk), on: Int(worker))
                }, region)
            }
            if ran == 0 { for chunk in 0..<chunks { region.run(chunk, on: 0) } }
        }
    }
}

/// One parallel region: the body and how the range is split.
private struct Region {
    let body: (Int, Range<Int>) -> Void
    let total: Int
    let chunks: Int

    func run(_ chunk: Int, on worker: Int) {
        body(worker, total * chunk / chunks..<total * (chunk + 1) / chunks)
    }
}

/// The pool's threads, stopped when the last `ThreadPool` copy goes away.
private final class Workers: @unchecked Sendable {
    let pool: OpaquePointer
    let threads: Int

    init?(threads: Int) {
        guard let pool = bk_pool_create(Int32(threads)) else { return nil }
        self.pool = pool
        self.threads = Int(bk_pool_threads(pool))
    }

    deinit { bk_pool_destroy(pool) }
}
