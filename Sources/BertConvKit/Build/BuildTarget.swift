/// An artifact `bertconv build` can produce, with the folder it lands in and the verify profile
/// that fits it.
public enum BuildTarget: String, Sendable, CaseIterable, Codable {
    case safetensors
    case int8
    case onnx
    case onnxInt8 = "onnx-int8"

    /// The folder inside OUT holding the artifact.
    public var folder: String { rawValue }

    /// The model path inside the folder that `verify` reads.
    public var modelPath: String {
        switch self {
        case .safetensors, .int8: folder
        case .onnx, .onnxInt8: folder + "/model.onnx"
        }
    }

    /// The verify profile that fits the artifact's precision.
    public var profile: VerifyProfile {
        switch self {
        case .safetensors, .onnx: .fp32
        case .int8, .onnxInt8: .int8
        }
    }
}
