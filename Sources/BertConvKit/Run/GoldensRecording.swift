import BertCore
import BertFormats
import BertRunner

/// `goldens` and `run -o`: a forward pass's inputs and outputs as a goldens file.
public enum GoldensRecording {
    /// The goldens file of `pass`, its producer naming bertconv's runner and kernels.
    public static func goldens(_ pass: ForwardPass, kernels: Kernels = .best) -> GoldensFile {
        GoldensFile(recording: pass.goldens.inputs, outputs: pass.outputs.map { ($0.name, $0.tensor) },
                    head: pass.graph.head.rawValue, producer: "bertconv \(BertConvVersion.current), runner fp32 \(kernels.name)")
    }

    /// Writes the goldens of `pass` to `path` (staged; `force` replaces an existing file).
    public static func write(_ pass: ForwardPass, to path: String, force: Bool) throws(RunnerUseCaseError) {
        do { try goldens(pass).write(to: path, force: force) } catch { throw .core(error) }
    }
}
