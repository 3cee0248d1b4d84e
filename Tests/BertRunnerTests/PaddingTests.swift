import BertCore
import BertRunner
import Testing

/// Padding must not change a sequence's outputs at its real positions.
@Suite struct PaddingTests {
    @Test(arguments: ["base", "causal-lm"])
    func paddedRowMatchesUnpaddedRun(fixture: String) throws {
        let runner = try BertRunner(graph: RunnerFixtures.graph(fixture), options: RunnerOptions(threads: 2))
        let ids: [Int64] = [2, 40, 41, 3, 50, 51, 3]
        let types: [Int64] = [0, 0, 0, 0, 1, 1, 1]
        let alone = try runner.run(RunnerInputs(shape: [1, 7], inputIds: ids, attentionMask: Array(repeating: 1, count: 7),
                                                tokenTypeIds: types, origin: "alone"))
        let pad = 5
        let batch = try runner.run(RunnerInputs(
            shape: [2, 12], inputIds: ids + Array(repeating: 0, count: pad) + Array(repeating: 9, count: 12),
            attentionMask: Array(repeating: 1, count: 7) + Array(repeating: 0, count: pad) + Array(repeating: 1, count: 12),
            tokenTypeIds: types + Array(repeating: 0, count: pad + 12), origin: "batch"))
        let single = alone[0].tensor.floats(), padded = batch[0].tensor.floats()
        let width = single.count / 7
        let error = (0..<single.count).map { abs(single[$0] - padded[$0]) }.max() ?? 0
        #expect(padded.count == 24 * width)
        #expect(error < 1e-5)
    }
}
