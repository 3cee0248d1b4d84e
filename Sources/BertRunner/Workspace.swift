import BertKernels

/// The activation buffers of one forward pass, allocated once per shape and reused, so the
/// kernels themselves never allocate.
final class Workspace: @unchecked Sendable {
    let shape: EncoderShape
    let hidden: FloatBuffer
    let qkv: FloatBuffer
    let context: FloatBuffer
    let attended: FloatBuffer
    let intermediate: FloatBuffer
    /// 1 for a real token, 0 for padding, one per token.
    let keyMask: FloatBuffer
    let attentionScratch: FloatBuffer
    let attentionScratchStride: Int

    init(shape: EncoderShape, workers: Int) {
        self.shape = shape
        let tokens = shape.tokens
        hidden = FloatBuffer(count: tokens * shape.hidden)
        qkv = FloatBuffer(count: tokens * shape.hidden * 3)
        context = FloatBuffer(count: tokens * shape.hidden)
        attended = FloatBuffer(count: tokens * shape.hidden)
        intermediate = FloatBuffer(count: tokens * shape.intermediate)
        keyMask = FloatBuffer(count: tokens)
        let floats = bk_attention_scratch_floats(Int32(shape.sequence), Int32(shape.hidden / shape.heads))
        attentionScratchStride = (floats + 15) / 16 * 16
        attentionScratch = FloatBuffer(count: attentionScratchStride * workers)
    }
}
