import BertRunner
import Synchronization
import Testing

/// The pool covers every index exactly once, gives each thread its own worker number, and runs a
/// region nested in another (the pool is busy then) on the calling thread instead of deadlocking.
@Suite struct ThreadPoolTests {
    @Test(arguments: [1, 2, 3, 1000], [1, 4])
    func coversEveryIndexOnce(total: Int, chunksPerWorker: Int) {
        let pool = ThreadPool(count: 3)
        let hits = Mutex([Int](repeating: 0, count: total))
        for _ in 0..<50 {
            pool.forEachChunk(total, chunksPerWorker: chunksPerWorker) { worker, chunk in
                #expect((0..<pool.count).contains(worker))
                hits.withLock { for index in chunk { $0[index] += 1 } }
            }
        }
        #expect(hits.withLock { $0 } == [Int](repeating: 50, count: total))
    }

    @Test func workerNumbersAreNotShared() {
        let pool = ThreadPool(count: 2)
        let running = Mutex(Set<Int>())
        let clashes = Mutex(0)
        for _ in 0..<200 {
            pool.forEachChunk(64, chunksPerWorker: 8) { worker, _ in
                let fresh = running.withLock { $0.insert(worker).inserted }
                if !fresh { clashes.withLock { $0 += 1 } }
                for _ in 0..<1000 { _ = running.withLock { $0.count } }
                _ = running.withLock { $0.remove(worker) }
            }
        }
        #expect(clashes.withLock { $0 } == 0)
    }

    @Test func nestedRegionRunsOnTheCallingThread() {
        let pool = ThreadPool(count: 2)
        let sum = Mutex(0)
        pool.forEachChunk(2) { _, outer in
            pool.forEachChunk(10) { _, inner in sum.withLock { $0 += outer.count * inner.count } }
        }
        #expect(sum.withLock { $0 } == 20)
    }
}
