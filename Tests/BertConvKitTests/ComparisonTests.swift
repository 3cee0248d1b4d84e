import BertConvKit
import BertCore
import Testing

/// The report arithmetic of `verify` on hand-made tensors.
@Suite struct ComparisonTests {
    let fp32 = VerifyProfile.fp32.tolerance
    /// [batch 1, seq 3, hidden 2]; the third token is padding.
    let mask = PositionMask(shape: [1, 3], values: [1, 1, 0])
    let golden = Tensor(float32: [1, 2, 3, 4, 5, 6], shape: [1, 3, 2])

    @Test func identicalOutputsPass() {
        let result = Comparison.compare(name: "last_hidden_state", actual: golden, expected: golden, mask: mask, tolerance: fp32)
        #expect(result.passed)
        #expect(result.maxAbsError == 0 && result.meanAbsError == 0 && abs(result.cosineMin - 1) < 1e-12)
        #expect(result.comparedElements == 4)
        #expect(result.failure == nil)
    }

    @Test func oneElementBeyondToleranceFailsAndIsNamed() {
        let actual = Tensor(float32: [1, 2, 3, 4.001, 5, 6], shape: [1, 3, 2])
        let result = Comparison.compare(name: "last_hidden_state", actual: actual, expected: golden, mask: mask, tolerance: fp32)
        #expect(!result.passed)
        #expect(result.worstIndex == [0, 1, 1])
        #expect(abs(result.maxAbsError - 0.001) < 1e-6)
        #expect(abs(result.maxRelError - 0.00025) < 1e-6)
        #expect(abs(result.meanAbsError - 0.00025) < 1e-6)
        #expect(result.failure?.hasPrefix("element [0, 1, 1] differs") == true)
    }

    @Test func paddingIsIgnoredUnlessAllPositions() {
        let actual = Tensor(float32: [1, 2, 3, 4, 50, 6], shape: [1, 3, 2])
        #expect(Comparison.compare(name: "x", actual: actual, expected: golden, mask: mask, tolerance: fp32).passed)
        let all = Comparison.compare(name: "x", actual: actual, expected: golden, mask: nil, tolerance: fp32)
        #expect(!all.passed)
        #expect(all.worstIndex == [0, 2, 0])
        #expect(all.comparedElements == 6)
    }

    @Test func shapeMismatchIsAFailure() {
        let actual = Tensor(float32: [1, 2, 3, 4], shape: [1, 2, 2])
        let result = Comparison.compare(name: "x", actual: actual, expected: golden, mask: mask, tolerance: fp32)
        #expect(!result.passed)
        #expect(result.failure == "shape mismatch: expected [1, 3, 2], got [1, 2, 2]")
        #expect(result.actualShape == [1, 2, 2])
    }

    @Test func missingOutputIsAFailure() {
        let result = Comparison.compare(name: "pooler_output", actual: nil, expected: golden, mask: nil, tolerance: fp32)
        #expect(!result.passed)
        #expect(result.failure == "missing output: the model produced no 'pooler_output'")
    }

    @Test func int8ProfileTestsCosinesNotElements() {
        let scaled = Tensor(float32: [1.1, 2.2, 3.3, 4.4, 5.5, 6.6], shape: [1, 3, 2])
        let tolerance = VerifyProfile.int8.tolerance
        let result = Comparison.compare(name: "last_hidden_state", actual: scaled, expected: golden, mask: nil, tolerance: tolerance)
        #expect(result.passed)
        #expect(abs(result.cosineMin - 1) < 1e-9)
        let rotated = Tensor(float32: [-2, 1, 3, 4, 5, 6], shape: [1, 3, 2])
        let bad = Comparison.compare(name: "last_hidden_state", actual: rotated, expected: golden, mask: nil, tolerance: tolerance)
        #expect(!bad.passed)
        #expect(abs(bad.cosineMin) < 1e-9)
        #expect(bad.failure?.hasPrefix("mean row cosine") == true)
    }

    @Test func topOneAgreementPerRowForLogits() {
        let expected = Tensor(float32: [0, 1, 1, 0, 0, 1], shape: [1, 3, 2])
        let actual = Tensor(float32: [0, 1, 0.4, 0.6, 0, 1], shape: [1, 3, 2])
        let result = Comparison.compare(name: "logits", actual: actual, expected: expected, mask: nil,
                                        tolerance: Tolerance(top1: 0.5))
        #expect(abs(result.top1Agreement! - 2.0 / 3.0) < 1e-9)
        #expect(result.passed)
        #expect(Comparison.compare(name: "pooler_output", actual: actual, expected: expected, mask: nil,
                                   tolerance: fp32).top1Agreement == nil)
    }

    @Test func perExampleRowsForPositionLogits() {
        // start_logits [batch 1, seq 3]: one row per example over its real positions.
        let expected = Tensor(float32: [0.1, 0.9, 5], shape: [1, 3])
        let actual = Tensor(float32: [0.1, 0.9, -5], shape: [1, 3])
        let result = Comparison.compare(name: "start_logits", actual: actual, expected: expected, mask: mask, tolerance: fp32)
        #expect(result.passed)
        #expect(result.top1Agreement == 1)
        #expect(result.comparedElements == 2)
    }

    @Test func overridesEnableTheElementTest() {
        let tolerance = VerifyProfile.int8.tolerance.overriding(atol: 0.5, rtol: nil)
        #expect(tolerance.atol == 0.5 && tolerance.rtol == 0)
        #expect(VerifyProfile.fp16.tolerance.overriding(atol: nil, rtol: 0.1) ==
                Tolerance(atol: 1e-2, rtol: 0.1, cosineMean: 0.9999, top1: 0.999))
    }

    @Test func nanFails() {
        let actual = Tensor(float32: [1, 2, .nan, 4, 5, 6], shape: [1, 3, 2])
        #expect(!Comparison.compare(name: "x", actual: actual, expected: golden, mask: nil, tolerance: fp32).passed)
        #expect(!Comparison.compare(name: "x", actual: actual, expected: golden, mask: nil,
                                    tolerance: VerifyProfile.int8.tolerance).passed)
    }
}
