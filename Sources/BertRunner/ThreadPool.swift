import Dispatch

/// Runs a fixed number of workers over a split range; the calling thread is one of them.
public struct ThreadPool: Sendable {
    /// How many workers share each parallel region.
    public let count: Int

    public init(count: Int) {
        self.count = max(1, count)
    }

    /// Splits `0..<total` into at most `count` contiguous chunks and runs `body(worker, chunk)` on
    /// each in parallel; `worker` is below `count`, so it can index per-worker scratch.
    public func forEachChunk(_ total: Int, _ body: (_ worker: Int, _ chunk: Range<Int>) -> Void) {
        let workers = min(count, total)
        guard workers > 1 else {
            if total > 0 { body(0, 0..<total) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let job = Job(body: body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                job.body(worker, total * worker / workers..<total * (worker + 1) / workers)
            }
        }
    }
}

/// The closure handed to the workers; each works on a disjoint chunk of the caller's buffers.
private struct Job: @unchecked Sendable {
    let body: (Int, Range<Int>) -> Void
}
