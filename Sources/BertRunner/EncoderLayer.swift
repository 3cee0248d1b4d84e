import BertCore
import BertKernels

/// One `BertLayer`: fused Q/K/V projection, attention one head at a time, output projection with
/// the residual in its epilogue, LayerNorm, intermediate with the activation in its epilogue,
/// output projection with the residual, LayerNorm.
struct EncoderLayer: Sendable {
    let queryKeyValue: any Linear
    let attentionOutput: any Linear
    let attentionNorm: LayerNorm
    let intermediate: any Linear
    let output: any Linear
    let outputNorm: LayerNorm

    init(layer: Int, graph: BertModelGraph, builder: any LinearBuilder, isa: KernelISA) throws(RunnerError) {
        let prefix = "bert.encoder.layer.\(layer)."
        let attention = prefix + "attention.self."
        queryKeyValue = try builder.linear(.named(attention + "query", attention + "key", attention + "value"), in: graph)
        attentionOutput = try builder.linear(.named(prefix + "attention.output.dense"), in: graph)
        attentionNorm = try LayerNorm(prefix + "attention.output.LayerNorm", in: graph, isa: isa)
        intermediate = try builder.linear(.named(prefix + "intermediate.dense"), in: graph)
        output = try builder.linear(.named(prefix + "output.dense"), in: graph)
        outputNorm = try LayerNorm(prefix + "output.LayerNorm", in: graph, isa: isa)
    }

    /// Runs the layer on `work.hidden` in place.
    func apply(_ work: Workspace, shape: EncoderShape, activation: Activation, isa: KernelISA, pool: ThreadPool) {
        let tokens = shape.tokens, hidden = shape.hidden
        queryKeyValue.apply(work.hidden.pointer, rows: tokens, into: work.qkv.pointer, epilogue: Epilogue(), pool: pool)
        let qkv = UnsafePointer(work.qkv.pointer), mask = UnsafePointer(work.keyMask.pointer)
        let context = work.context.pointer
        let scratch = work.attentionScratch.pointer, scratchStride = work.attentionScratchStride
        let headSize = hidden / shape.heads
        pool.forEachChunk(shape.sequences * shape.heads) { worker, chunk in
            bk_attention(isa.rawValue, qkv, qkv + hidden, qkv + 2 * hidden, Int32(3 * hidden), mask,
                         Int32(shape.sequences), Int32(shape.sequence), Int32(shape.heads), Int32(headSize),
                         shape.causal ? 1 : 0, 1 / Float(headSize).squareRoot(), context, Int32(hidden),
                         Int32(chunk.lowerBound), Int32(chunk.upperBound), scratch + worker * scratchStride)
        }
        attentionOutput.apply(context, rows: tokens, into: work.attended.pointer,
                              epilogue: Epilogue(residual: work.hidden.pointer), pool: pool)
        attentionNorm.apply(work.attended.pointer, into: work.attended.pointer, rows: tokens, pool: pool)
        intermediate.apply(work.attended.pointer, rows: tokens, into: work.intermediate.pointer,
                           epilogue: Epilogue(activation: activation), pool: pool)
        output.apply(work.intermediate.pointer, rows: tokens, into: work.hidden.pointer,
                     epilogue: Epilogue(residual: work.attended.pointer), pool: pool)
        outputNorm.apply(work.hidden.pointer, into: work.hidden.pointer, rows: tokens, pool: pool)
    }
}

/// The sizes one forward pass runs at.
struct EncoderShape: Equatable {
    let sequences: Int
    let sequence: Int
    let hidden: Int
    let intermediate: Int
    let heads: Int
    let causal: Bool

    var tokens: Int { sequences * sequence }
}
