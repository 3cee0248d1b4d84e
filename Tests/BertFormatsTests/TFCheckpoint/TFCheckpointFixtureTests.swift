import BertCore
import BertNameMaps
import Foundation
import TestSupport
import Testing
@testable import BertFormats

/// goldens/fixtures, made by goldens/gen_tf.py from the same weights as each fixture's hf/.
private let fixtures = Fixtures.root

private func graph(_ path: String) throws -> BertModelGraph {
    let source = try Readers.detect(path)!.read(path)
    return try GraphBuilder.build(source, map: NameMaps.load(source.nameMap))
}

@Suite
struct TFCheckpointFixtureTests {
    @Test(arguments: [
        ("pretraining", "tf1", BertHead.preTraining),
        ("pretraining", "tf1-sharded", .preTraining),
        ("seq-cls", "tf1", .sequenceClassification),
        ("qa", "tf1", .questionAnswering),
        ("base", "tf2", .base),
    ])
    func convertsBitForBitToTheHuggingFaceWeights(fixture: String, variant: String, head: BertHead) throws {
        let tf = try graph("\(fixtures)/\(fixture)/\(variant)")
        let hf = try graph("\(fixtures)/\(fixture)/hf")
        #expect(tf.format == .tfCheckpoint)
        #expect(tf.head == head && hf.head == head)
        #expect(tf.hasPooler == hf.hasPooler)
        #expect(tf.tensors.map(\.name) == hf.tensors.map(\.name))
        for (mine, theirs) in zip(tf.tensors, hf.tensors) {
            let a = try mine.load(), b = try theirs.load()
            #expect(a.dtype == b.dtype && a.shape == b.shape, "\(mine.name)")
            #expect(bytes(a) == bytes(b), "\(mine.name) differs from \(theirs.source.name)")
        }
        #expect(tf.companionFiles.map { ModelFolder.basename($0) }.contains("vocab.txt"))
    }

    @Test func classifierCheckpointSkipsAdamSlotsAndGlobalStep() throws {
        let tf = try graph("\(fixtures)/seq-cls/tf1")
        let reasons = Dictionary(tf.skipped.map { ($0.source, $0.reason) }, uniquingKeysWith: { a, _ in a })
        #expect(reasons["global_step"] == "training step counter, not a weight")
        #expect(reasons["output_weights/adam_m"]?.hasPrefix("AdamWeightDecayOptimizer") == true)
        #expect(reasons["bert/encoder/layer_1/output/dense/kernel/adam_v"]?.hasPrefix("AdamWeightDecayOptimizer") == true)
        #expect(tf.skipped.count == 2 * tf.tensors.count + 1)
        #expect(tf.config.numLabels == 3)
    }

    @Test func squadCheckpointDropsTheUnusedPooler() throws {
        let tf = try graph("\(fixtures)/qa/tf1")
        #expect(tf.skipped.contains(SkippedTensor(source: "bert/pooler/dense/kernel", reason: "not used by BertForQuestionAnswering")))
    }

    @Test func objectBasedCheckpointSkipsTheObjectGraph() throws {
        let tf = try graph("\(fixtures)/base/tf2")
        #expect(tf.skipped.map(\.source) == ["_CHECKPOINTABLE_OBJECT_GRAPH"])
    }
}
