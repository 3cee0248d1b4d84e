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
            if node.opType == "DynamicQuantizeMatMul", node.inputs.count > 4 { biases.append(node.inputs[4]) }
            biases += addedTo(node.outputs.first ?? "")
            for bias in biases {
                guard case .mapped(let canonical, _, _, _)? = map.resolve(bias), canonical.hasSuffix(".bias") else { continue }
                // The MLM decoder's bias is `cls.predictions.bias`, not `cls.predictions.decoder.bias`.
                if canonical == "cls.predictions.bias" { return CanonicalName.decoderWeight }
                return String(bias.dropLast(".bias".count)) + ".weight"
            }
        }
        return nil
    }

    /// How an int8 initializer turns back into floats: `(q − zeroPoint) · scale`.
    struct Dequantization {
        let scale: String
        let zeroPoint: String?
        /// The axis the scale runs along when it has more than one element; nil: from the scale's shape.
        let axis: Int?
    }

    /// The dequantization of the int8 initializer `name`: DequantizeLinear, DynamicQuantizeMatMul,
    /// MatMulIntegerToFloat, MatMulInteger followed by Cast and a Mul by `x_scale · w_scale`, or
    /// Cast followed by Mul.
    func dequantization(of name: String, isInitializer: (String) -> Bool) -> Dequantization? {
        func optional(_ node: ONNXNode, _ index: Int) -> String? {
            node.inputs.count > index && !node.inputs[index].isEmpty ? node.inputs[index] : nil
        }
        /// The initializer multiplied into `value` after a Cast (directly or as one factor of a product).
        func scale(after value: String) -> String? {
            for cast in consumers[value, default: []] where nodes[cast.node].opType == "Cast" {
                for mul in consumers[nodes[cast.node].outputs[0], default: []] where nodes[mul.node].opType == "Mul" {
                    let factor = nodes[mul.node].inputs[1 - min(mul.input, 1)]
                    if isInitializer(factor) { return factor }
                    if let product = nodes.first(where: { $0.opType == "Mul" && $0.outputs.contains(factor) }) {
                        return product.inputs.first(where: isInitializer)
                    }
                }
            }
            return nil
        }
        for use in consumers[name, default: []] {
            let node = nodes[use.node]
            switch (node.opType, use.input) {
            case ("DequantizeLinear", 0):
                return Dequantization(scale: node.inputs[1], zeroPoint: optional(node, 2), axis: node.int("axis") ?? 1)
            case ("DynamicQuantizeMatMul", 1):
                return Dequantization(scale: node.inputs[2], zeroPoint: optional(node, 3), axis: 1)
            case ("MatMulIntegerToFloat", 1) where node.inputs.count > 3:
                return Dequantization(scale: node.inputs[3], zeroPoint: optional(node, 5), axis: 1)
            case ("MatMulInteger", 1):
                guard let factor = scale(after: node.outputs[0]) else { continue }
                return Dequantization(scale: factor, zeroPoint: optional(node, 3), axis: 1)
            case ("Cast", 0):
                guard let factor = scale(after: name) else { continue }
                return Dequantization(scale: factor, zeroPoint: nil, axis: nil)
            default: continue
            }
        }
        return nil
    }

    /// Inputs added to `value`, directly or after Cast and Mul (a dequantized product).
    private func addedTo(_ value: String) -> [String] {
        var found: [String] = []
        var frontier = [value], steps = 0
        while let current = frontier.popLast(), steps < 8 {
            steps += 1
            for use in consumers[current, default: []] {
                let node = nodes[use.node]
                switch node.opType {
                case "Add": found.append(node.inputs[1 - min(use.input, 1)])
                case "Cast", "Mul": frontier += node.outputs
                default: continue
                }
            }
        }
        return found
    }

    /// Uses of `value` as a matrix multiplication's B input (index 1), directly or through
    /// Cast/Identity/DequantizeLinear (and the Mul of a Cast+Mul dequantization).
    private func matrixUses(of value: String) -> [(node: Int, input: Int)] {
        var uses: [(node: Int, input: Int)] = []
        var frontier = [value]
        var seen = Set<String>()
        while let current = frontier.popLast(), seen.insert(current).inserted, seen.count < 16 {
            for use in consumers[current, default: []] {
                let node = nodes[use.node]
                switch node.opType {
                case "MatMul" where use.input == 1, "Gemm" where use.input == 1, "MatMulInteger" where use.input == 1,
                     "DynamicQuantizeMatMul" where use.input == 1, "MatMulIntegerToFloat" where use.input == 1:
                    uses.append(use)
                case "Cast", "Identity":
                    frontier += node.outputs
                case "DequantizeLinear" where use.input == 0, "Mul" where current != value:
                    frontier += node.outputs
                default: continue
                }
            }
        }
        return uses
    }
}
