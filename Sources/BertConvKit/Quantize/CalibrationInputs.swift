import BertCore
import BertFormats
import BertRunner
import BertTokenizer

/// Calibration and evaluation inputs, split into runner batches: the `inputs.*` of a safetensors
/// file in the goldens contract (I64 `input_ids`, `attention_mask`, `token_type_ids`), or a text
/// file with one sentence per line, encoded by the model's own tokenizer.
public struct CalibrationInputs: Sendable {
    public let path: String
    public let batches: [RunnerInputs]

    /// The number of sequences (rows of the outermost dimension) in all batches.
    public var sequenceCount: Int { batches.reduce(0) { $0 + ($1.shape.first ?? 0) } }

    /// Reads `path` (`*.safetensors`: goldens inputs; anything else: text lines tokenized by the
    /// tokenizer beside `modelPath`, truncated to `maxLength` tokens) in batches of `batchSize` rows.
    public static func read(_ path: String, modelPath: String, maxLength: Int, batchSize: Int = 32)
        throws(QuantizeError) -> CalibrationInputs {
        if path.hasSuffix(".safetensors") { return try read(path, batchSize: batchSize) }
        let lines: [String]
        do { lines = try sentences(path) } catch { throw QuantizeError(error) }
        let tokenizer: BertTokenizer
        do { tokenizer = try ModelTextInputs.tokenizer(modelPath: modelPath) } catch { throw QuantizeError(error) }
        let encodings = lines.map { tokenizer.encode($0, truncation: .longestFirst, maxLength: maxLength) }
        let batches = stride(from: 0, to: encodings.count, by: batchSize).map { start in
            padded(encodings[start..<min(start + batchSize, encodings.count)], padID: tokenizer.padID, origin: path)
        }
        return CalibrationInputs(path: path, batches: batches)
    }

    /// The non-blank lines of a UTF-8 text file.
    static func sentences(_ path: String) throws(FormatError) -> [String] {
        let bytes = try FileBytes.read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FormatError(path: path, .malformed("calibration text is not UTF-8 (inputs files must end in .safetensors)"))
        }
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.allSatisfy(\.isWhitespace) }
        guard !lines.isEmpty else { throw FormatError(path: path, .malformed("calibration text has no sentences")) }
        return lines
    }

    /// One batch of encodings padded to the longest, as HF's `padding=True` does.
    static func padded(_ encodings: ArraySlice<BertEncoding>, padID: Int, origin: String) -> RunnerInputs {
        let length = encodings.map(\.inputIDs.count).max() ?? 0
        var ids: [Int64] = [], mask: [Int64] = [], types: [Int64] = []
        for encoding in encodings {
            let padding = length - encoding.inputIDs.count
            ids += encoding.inputIDs.map(Int64.init) + Array(repeating: Int64(padID), count: padding)
            mask += encoding.attentionMask.map(Int64.init) + Array(repeating: 0, count: padding)
            types += encoding.tokenTypeIDs.map(Int64.init) + Array(repeating: 0, count: padding)
        }
        return RunnerInputs(shape: [encodings.count, length], inputIds: ids, attentionMask: mask, tokenTypeIds: types, origin: origin)
    }

    /// Reads an inputs safetensors file and splits it into batches of at most `batchSize` rows.
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
