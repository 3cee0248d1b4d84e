import BertCore
import BertFormats
import BertRunner

/// Calibration and evaluation inputs: the `inputs.*` of a safetensors file in the goldens contract
/// (I64 `input_ids`, `attention_mask`, `token_type_ids`), split into runner batches.
public struct CalibrationInputs: Sendable {
    public let path: String
    public let batches: [RunnerInputs]

    /// The number of sequences (rows of the outermost dimension) in all batches.
    public var sequenceCount: Int { batches.reduce(0) { $0 + ($1.shape.first ?? 0) } }

    /// Reads `path` and splits it into batches of at most `batchSize` rows.
    public static func read(_ path: String, batchSize: Int = 32) throws(QuantizeError) -> CalibrationInputs {
        let file: GoldensFile
        do { file = try GoldensFile.read(path) } catch { throw QuantizeError(error) }
        let all: RunnerInputs
        do {
            all = try RunnerInputs(inputIds: file.inputs["input_ids"], attentionMask: file.inputs["attention_mask"],
                                   tokenTypeIds: file.inputs["token_type_ids"], origin: path)
        } catch { throw QuantizeError(error) }
        return CalibrationInputs(path: path, batches: split(all, batchSize: batchSize))
    }

    /// The first batches holding at most `sequences` rows (at least one batch).
    public func prefix(sequences: Int) -> CalibrationInputs {
        var taken: [RunnerInputs] = [], count = 0
        for batch in batches where taken.isEmpty || count + (batch.shape.first ?? 0) <= sequences {
            taken.append(batch)
            count += batch.shape.first ?? 0
        }
        return CalibrationInputs(path: path, batches: taken)
    }

    /// `inputs` cut into batches of at most `batchSize` rows.
    public static func split(_ inputs: RunnerInputs, batchSize: Int) -> [RunnerInputs] {
        let rows = inputs.shape.first ?? 0
        let rowSize = inputs.inputIds.count / max(rows, 1)
        return stride(from: 0, to: rows, by: batchSize).map { start in
            let end = min(start + batchSize, rows)
            let range = start * rowSize..<end * rowSize
            return RunnerInputs(
                shape: [end - start] + inputs.shape.dropFirst(), inputIds: Array(inputs.inputIds[range]),
                attentionMask: Array(inputs.attentionMask[range]), tokenTypeIds: Array(inputs.tokenTypeIds[range]),
                origin: inputs.origin)
        }
    }
}
