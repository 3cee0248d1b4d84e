import BertCore
import Dispatch
import Synchronization

/// Loads tensor k + 1 on a background thread while the caller writes tensor k, so reading,
/// converting and transposing overlap writing and hashing; at most two loaded tensors are alive.
final class TensorLookAhead: Sendable {
    typealias Load = @Sendable () throws(FormatError) -> Tensor

    private final class Slot: Sendable {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Result<Tensor, FormatError>?>(nil)
    }

    private let loads: [Load]
    private let slots: [Slot]
    private let queue = DispatchQueue(label: "bertconv.tensor-look-ahead")

    init(_ loads: [Load]) {
        self.loads = loads
        slots = loads.map { _ in Slot() }
        start(0)
    }

    /// The `index`th tensor, waiting for its load; starts loading the next one.
    func tensor(_ index: Int) throws(FormatError) -> Tensor {
        slots[index].done.wait()
        start(index + 1)
        return try slots[index].result.withLock { result in
            defer { result = nil }
            return result!
        }.get()
    }

    private func start(_ index: Int) {
        guard index < loads.count else { return }
        let slot = slots[index], load = loads[index]
        queue.async {
            let result = Result { () throws(FormatError) in try load() }
            slot.result.withLock { $0 = result }
            slot.done.signal()
        }
    }
}
