import BertCore
import BertRunner
import Testing

/// Inputs that do not fit the model are bad input (exit 2) naming the input, index and limit.
@Suite struct RunnerInputsTests {
    static let runner = Result { try BertRunner(graph: RunnerFixtures.graph("base")) }

    func inputs(shape: [Int] = [1, 4], ids: [Int64] = [2, 7, 9, 3], mask: [Int64]? = nil, types: [Int64]? = nil) -> RunnerInputs {
        let count = ids.count
        return RunnerInputs(shape: shape, inputIds: ids, attentionMask: mask ?? Array(repeating: 1, count: count),
                            tokenTypeIds: types ?? Array(repeating: 0, count: count), origin: "in.safetensors")
    }

    func error(_ inputs: RunnerInputs, runner: BertRunner? = nil) throws -> RunnerError {
        let runner = try runner ?? Self.runner.get()
        do {
            _ = try runner.run(inputs)
        } catch {
            return error
        }
        Issue.record("expected an error")
        return RunnerError(path: "", .missingInput(""))
    }

    @Test func tokenIdBeyondVocab() throws {
        let error = try error(inputs(ids: [2, 7, 128, 3]))
        #expect(error.kind == .idOutOfRange(input: "input_ids", index: [0, 2], value: 128, limit: 128))
        #expect(error.description == "in.safetensors: input 'input_ids' at [0, 2] is 128, outside the model's range 0..<128")
        #expect(error.exitCategory == .badInput)
    }

    @Test func negativeTokenType() throws {
        let error = try error(inputs(types: [0, 0, -1, 0]))
        #expect(error.kind == .idOutOfRange(input: "token_type_ids", index: [0, 2], value: -1, limit: 2))
    }

    @Test func tokenTypeBeyondTypeVocab() throws {
        let error = try error(inputs(types: [0, 2, 0, 0]))
        #expect(error.kind == .idOutOfRange(input: "token_type_ids", index: [0, 1], value: 2, limit: 2))
    }

    @Test func maskValueOtherThanZeroOrOne() throws {
        let error = try error(inputs(mask: [1, 1, 2, 0]))
        #expect(error.kind == .invalidMask(index: [0, 2], value: 2))
        #expect(error.description.contains("'attention_mask' at [0, 2]"))
    }

    @Test func sequenceLongerThanPositions() throws {
        let error = try error(inputs(shape: [1, 41], ids: Array(repeating: 5, count: 41)))
        #expect(error.kind == .sequenceTooLong(length: 41, limit: 40))
        #expect(error.description == "in.safetensors: sequence length 41 exceeds max_position_embeddings 40")
    }

    @Test func rankThreeForASingleSequenceHead() throws {
        let error = try error(inputs(shape: [1, 2, 2]))
        #expect(error.kind == .inputShape(input: "input_ids", shape: [1, 2, 2], expected: "[batch, seq]"))
    }

    @Test func multipleChoiceNeedsChoices() throws {
        let runner = try BertRunner(graph: RunnerFixtures.graph("multiple-choice"))
        let error = try error(inputs(), runner: runner)
        #expect(error.kind == .inputShape(input: "input_ids", shape: [1, 4], expected: "[batch, choices, seq]"))
    }

    @Test func maskShapeMustMatchIds() throws {
        let ids = Tensor(int64: [2, 7, 9, 3], shape: [1, 4])
        let mask = Tensor(int64: [1, 1, 1], shape: [1, 3])
        #expect(throws: RunnerError(path: "g", .inputShape(input: "attention_mask", shape: [1, 3], expected: "[1, 4] like input_ids"))) {
            try RunnerInputs(inputIds: ids, attentionMask: mask, tokenTypeIds: nil, origin: "g")
        }
    }

    @Test func floatIdsAreRejected() throws {
        let ids = Tensor(float32: [2, 7], shape: [1, 2])
        #expect(throws: RunnerError(path: "g", .inputShape(input: "input_ids", shape: [1, 2], expected: "an integer tensor, found F32"))) {
            try RunnerInputs(inputIds: ids, attentionMask: nil, tokenTypeIds: nil, origin: "g")
        }
    }

    @Test func missingIds() throws {
        #expect(throws: RunnerError(path: "g", .missingInput("input_ids"))) {
            try RunnerInputs(inputIds: nil, attentionMask: nil, tokenTypeIds: nil, origin: "g")
        }
    }
}
