import BertCore
import Dispatch
import Synchronization

/// Loads tensors k + 1 and k + 2 on background threads while the caller writes tensor k, so
/// reading, converting and transposing run on both cores alongside writing and hashing; at most
/// three loaded tensors are alive.
final class TensorLookAhead: Sendable {
    typealias Load = @Sendable () throws(FormatError) -> Tensor

    private final class Slot: Sendable {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Result<Tensor, FormatError>?>(nil)
    }

    private let loads: [Load]
    private let slots: [Slot]
    private let queue = DispatchQueue(label: "bertconv.tensor-look-ahead", attributes: .concurrent)
    private static let window = 2

    init(_ loads: [Load]) {
        self.loads = loads
        slots = loads.map { _ in Slot() }
        for index in 0..<Self.window { start(index) }
    }

    /// The `index`th tensor, waiting for its load; starts loading the one `window` further on.
    func tensor(_ index: Int) throws(FormatError) -> Tensor {
        slots[index].done.wait()
        start(index + Self.window)
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
