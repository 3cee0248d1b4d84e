import BertConvKit
import Testing

/// `verify` on the Keras fixtures against goldens from the framework that wrote them: TensorFlow
/// for HF's tf_model.h5, KerasHub for the Keras 3 files.
@Suite struct KerasVerifyTests {
    static let fixtures = VerifyUseCaseTests.fixtures

    static func expectPasses(_ model: String, _ goldens: String) throws {
        let report = try VerifyUseCase.run(model: fixtures + "/" + model, goldens: fixtures + "/" + goldens,
                                           options: VerifyOptions(threads: 2))
        #expect(report.passed, "\(model): \(report.outputs.compactMap(\.failure))")
        #expect(report.outputs.allSatisfy { $0.maxAbsError <= 1e-4 }, "\(model)")
    }

    @Test(arguments: VerifyUseCaseTests.heads)
    func tfModelH5(head: String) throws {
        try Self.expectPasses("\(head)/tfh5", "\(head)/goldens-tf.safetensors")
    }

    @Test func shardedTFModelH5() throws {
        try Self.expectPasses("variants/tfh5-sharded", "variants/tfh5-sharded/goldens-tf.safetensors")
    }

    @Test(arguments: ["keras-hub/backbone", "keras-hub/classifier"], ["model.keras", "model.weights.h5", ""])
    func kerasHub(model: String, form: String) throws {
        try Self.expectPasses("\(model)/\(form)", "\(model)/goldens-keras-hub.safetensors")
    }
}
