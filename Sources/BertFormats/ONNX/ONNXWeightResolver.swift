import BertCore

/// Reads an ONNX graph's wiring to recover what its initializers are: a weight stored `[in, out]`
/// (MatMul's B input, Gemm's B without transB, or bertconv's marked transposes) is turned back to
/// the canonical `[out, in]`, and an anonymous MatMul weight (`onnx::MatMul_123`, as
/// torch.onnx.export names folded transposes) is named after the bias added to its product.
struct ONNXWeightResolver {
    let nodes: [ONNXNode]
    let map: NameMap
    private let consumers: [String: [(node: Int, input: Int)]]

    init(nodes: [ONNXNode], map: NameMap) {
        self.nodes = nodes
        self.map = map
        var consumers: [String: [(node: Int, input: Int)]] = [:]
        for (n, node) in nodes.enumerated() {
            for (i, input) in node.inputs.enumerated() where !input.isEmpty {
                consumers[input, default: []].append((n, i))
            }
        }
        self.consumers = consumers
    }

    /// Whether `record` holds the transpose of its canonical tensor.
    func isTransposed(_ record: ONNXTensorRecord) -> Bool {
        if record.docString == ONNXExporter.transposedMarker { return true }
        guard record.shape.count == 2 else { return false }
        return matrixUses(of: record.name).contains { use in
            let node = nodes[use.node]
            return node.opType == "MatMul" || (node.opType == "Gemm" && (node.int("transB") ?? 0) == 0)
        }
    }

    /// The Hugging Face name of `record`: its own when the name map knows it, else the name of the
    /// linear layer whose bias is added to its product, else nil.
    func name(of record: ONNXTensorRecord) -> String? {
        if map.resolve(record.name) != nil { return record.name }
        for use in matrixUses(of: record.name) {
            let node = nodes[use.node]
            var biases: [String] = []
            if node.opType == "Gemm", node.inputs.count > 2 { biases.append(node.inputs[2]) }
            for add in consumers[node.outputs.first ?? "", default: []] where nodes[add.node].opType == "Add" {
                biases.append(nodes[add.node].inputs[1 - min(add.input, 1)])
            }
            for bias in biases {
                guard case .mapped(let canonical, _, _, _)? = map.resolve(bias), canonical.hasSuffix(".bias") else { continue }
                // The MLM decoder's bias is `cls.predictions.bias`, not `cls.predictions.decoder.bias`.
                if canonical == "cls.predictions.bias" { return CanonicalName.decoderWeight }
                return String(bias.dropLast(".bias".count)) + ".weight"
            }
        }
        return nil
    }

    /// Uses of `value` as a matrix multiplication's B input (index 1), directly or through Cast/Identity.
    private func matrixUses(of value: String) -> [(node: Int, input: Int)] {
        var uses: [(node: Int, input: Int)] = []
        var frontier = [value]
        var seen = Set<String>()
        while let current = frontier.popLast(), seen.insert(current).inserted, seen.count < 16 {
            for use in consumers[current, default: []] {
                let node = nodes[use.node]
                switch node.opType {
                case "MatMul" where use.input == 1, "Gemm" where use.input == 1: uses.append(use)
                case "Cast", "Identity": frontier += node.outputs
                default: continue
                }
            }
        }
        return uses
    }
}
