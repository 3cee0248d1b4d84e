import BertCore
import BertFormats
import BertRunner
import Testing

/// Every head against HF PyTorch's goldens, on every kernel path, at every position.
@Suite struct FixtureGoldensTests {
    static let paths: [Kernels] = [.packed(.portable), .blas] + (KernelISA.best == .avx2 ? [.packed(.avx2)] : [])

    @Test(arguments: RunnerFixtures.names, paths)
    func matchesHuggingFace(fixture: String, kernels: Kernels) throws {
        let runner = try BertRunner(graph: RunnerFixtures.graph(fixture), options: RunnerOptions(threads: 2, kernels: kernels))
        let goldens = try RunnerFixtures.goldens(fixture)
        let outputs = try runner.run(RunnerFixtures.inputs(goldens))
        #expect(outputs.map(\.name).sorted() == goldens.outputs.map(\.name))
        for output in outputs {
            let expected = try #require(goldens.output(output.name))
            #expect(output.tensor.shape == expected.shape, "\(fixture) \(output.name)")
            let error = zip(output.tensor.floats(), expected.floats()).map { abs($0 - $1) }.max() ?? 0
            #expect(error <= 1e-4, "\(fixture) \(output.name): max abs error \(error)")
        }
    }
}
