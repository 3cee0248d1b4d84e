import BertCore
import BertQuant
import Testing

/// Int8 checkpoints built in memory: each error case names the tensor at fault.
@Suite struct Int8CheckpointTests {
    static func tensor(_ name: String, _ value: Tensor) -> SourceTensor {
        SourceTensor(name: name, dtype: value.dtype, shape: value.shape, byteCount: value.byteCount) { () throws(FormatError) in value }
    }

    static func int8(_ values: [Int8], shape: [Int]) -> Tensor {
        Tensor(dtype: .i8, shape: shape) { out in values.withUnsafeBytes { out.copyMemory(from: $0) } }
    }

    static func source(_ tensors: [SourceTensor]) -> ModelSource {
        ModelSource(format: .safetensors, path: "/m", inputFiles: ["/m/model.safetensors"], tensors: tensors,
                    config: nil, companionFiles: [], nameMap: "hf-pytorch")
    }

    static let weight = tensor("dense.weight", int8([1, -2, 127, -127], shape: [2, 2]))
    static let bias = tensor("dense.bias", Tensor(float32: [0.5, 0.25], shape: [2]))

    @Test func unpacksToDequantizingF32AndKeepsTheInt8Values() throws {
        let scale = Self.tensor("dense.weight_scale", Tensor(float32: [0.5, 2], shape: [2, 1]))
        let input = Self.tensor("dense.input_scale", Tensor(float32: [0.125], shape: [1]))
        let source = Self.source([Self.bias, Self.weight, scale, input])
        #expect(Int8Checkpoint.isQuantized(source))
        let (unpacked, weights) = try Int8Checkpoint.unpack(source)
        #expect(unpacked.tensors.map(\.name) == ["dense.bias", "dense.weight"])
        let restored = try unpacked.tensors[1].load()
        #expect(restored.dtype == .f32)
        #expect(restored.floats() == [0.5, -1, 254, -254])
        #expect(weights["dense.weight"] == QuantizedWeight(
            matrix: QuantizedMatrix(rows: 2, cols: 2, values: [1, -2, 127, -127], scales: [0.5, 2]), inputScale: 0.125))
    }

    @Test func missingScaleNamesTheWeight() {
        #expect { try Int8Checkpoint.unpack(Self.source([Self.weight])) } throws: { error in
            let e = error as! FormatError
            return e.tensor == "dense.weight" && e.description.contains("without 'dense.weight_scale'")
        }
    }

    @Test(arguments: [
        (Tensor(float32: [0.5, 1, 2], shape: [3]), "shape [2, 1] or [1]"),
        (Tensor(float32: [0.5, -1], shape: [2, 1]), "scale 1 is -1.0"),
        (Tensor(float32: [0.5, .nan], shape: [2, 1]), "scale 1 is nan"),
        (Tensor(int64: [1, 1], shape: [2, 1]), "must be a float tensor"),
    ])
    func badScalesNameTheScaleTensor(scale: Tensor, message: String) {
        let source = Self.source([Self.weight, Self.tensor("dense.weight_scale", scale)])
        #expect { try Int8Checkpoint.unpack(source) } throws: { error in
            let e = error as! FormatError
            return e.tensor == "dense.weight_scale" && e.description.contains(message)
        }
    }

    @Test func minus128IsRejected() {
        let weight = Self.tensor("dense.weight", Self.int8([1, -128, 3, 4], shape: [2, 2]))
        let scale = Self.tensor("dense.weight_scale", Tensor(float32: [1], shape: [1]))
        #expect { try Int8Checkpoint.unpack(Self.source([weight, scale])) } throws: { error in
            let e = error as! FormatError
            return e.tensor == "dense.weight" && e.description.contains("element 1 is -128")
        }
    }

    @Test func scaleWithoutInt8WeightIsRejected() {
        let weight = Self.tensor("dense.weight", Tensor(float32: [1, 2, 3, 4], shape: [2, 2]))
        let scale = Self.tensor("dense.weight_scale", Tensor(float32: [1], shape: [1]))
        #expect { try Int8Checkpoint.unpack(Self.source([weight, scale])) } throws: { error in
            (error as! FormatError).tensor == "dense.weight_scale"
        }
    }

    @Test func threeDimensionalInt8IsRejected() {
        let weight = Self.tensor("dense.weight", Self.int8([1, 2], shape: [1, 1, 2]))
        let scale = Self.tensor("dense.weight_scale", Tensor(float32: [1], shape: [1]))
        #expect { try Int8Checkpoint.unpack(Self.source([weight, scale])) } throws: { error in
            (error as! FormatError).description.contains("must be 2-D")
        }
    }
}
