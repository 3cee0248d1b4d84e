import BertCore

/// A 64-byte aligned float array owned by the runner (packed weights, activations).
struct FloatBuffer: @unchecked Sendable {
    let storage: OwnedBuffer
    let count: Int

    init(count: Int) {
        storage = OwnedBuffer(byteCount: count * 4)
        self.count = count
    }

    init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBytes { storage.pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    var pointer: UnsafeMutablePointer<Float> { storage.pointer.assumingMemoryBound(to: Float.self) }

    /// The buffer as an F32 tensor of `shape` (no copy).
    func tensor(_ shape: [Int]) -> Tensor {
        Tensor(dtype: .f32, shape: shape, storage: TensorStorage(buffer: storage))
    }
}
