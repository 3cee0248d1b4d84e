/// How many bits the int8 runner gives a Linear's dynamic per-token activations. The feed-forward
/// Linears (intermediate and output, two thirds of the encoder's multiply-adds) take 7 bits, which
/// lets their kernel add two depth groups in int16 before widening (a quarter fewer multiply-pipe
/// instructions); every other Linear keeps 8. Measured per layer kind with 7 bits: on
/// all-MiniLM-L6-v2 (600 sentences, embedding cosine vs fp32; 8 bits everywhere: 0.99761 mean)
/// feed-forward 0.99668, Q/K/V 0.99636, attention output 0.99759, but the attention output took the
/// multiple-choice fixture's logit cosine from 0.998 to 0.989. Calibrated static scales are chosen
/// for 8 bits and keep them.
public enum ActivationBits {
    /// Encoder Linears that keep 8-bit inputs, by the suffix of their first weight's canonical name.
    static let eightBitSuffixes = [".attention.self.query.weight", ".attention.output.dense.weight"]

    /// The bits for the Linear whose first weight is `weight` (canonical name).
    public static func bits(forLinear weight: String, staticScale: Bool) -> Int {
        let sevenBit = !staticScale && weight.hasPrefix(WeightQuantizer.encoderPrefix)
            && !eightBitSuffixes.contains(where: weight.hasSuffix)
        return sevenBit ? 7 : 8
    }
}
