/// Accumulates nodes and initializers with unique, readable names (`/bert/encoder/layer.0/...`,
/// as torch.onnx.export names them) and shares identical constants.
struct ONNXGraphBuilder {
    private(set) var nodes: [ONNXNode] = []
    private(set) var initializers: [ONNXInitializer] = []
    private var usedNames: [String: Int] = [:]
    private var constants: [String: String] = [:]
    private var sharedNodes: [String: [String]] = [:]
    private var initializerNames: Set<String> = []
    /// Prefix of node names created now (`/bert/embeddings`, …).
    var scope = ""

    /// Adds a node with one output and returns the output's name.
    @discardableResult
    mutating func op(_ type: String, _ inputs: [String], _ attributes: [ONNXAttribute] = [],
                     domain: String = "", name: String? = nil) -> String {
        ops(type, inputs, attributes, domain: domain, name: name, outputs: 1)[0]
    }

    /// Adds a node whose output is the graph value `output` (a graph output's name).
    mutating func op(_ type: String, _ inputs: [String], _ attributes: [ONNXAttribute] = [], output: String) {
        ops(type, inputs, attributes, outputs: 1, named: [output])
    }

    /// Adds a node with `outputs` outputs and returns their names (`named`, or made from the node's).
    @discardableResult
    mutating func ops(_ type: String, _ inputs: [String], _ attributes: [ONNXAttribute] = [],
                      domain: String = "", name: String? = nil, outputs: Int, named: [String]? = nil) -> [String] {
        let nodeName = unique("\(scope)/\(name ?? type)")
        let outputNames = named ?? (0..<outputs).map { "\(nodeName)_output_\($0)" }
        nodes.append(ONNXNode(opType: type, domain: domain, name: nodeName, inputs: inputs,
                              outputs: outputNames, attributes: attributes))
        return outputNames
    }

    /// A node computing `type(inputs)` once: later calls with the same operator, inputs and
    /// attributes reuse it.
    mutating func shared(_ type: String, _ inputs: [String], _ attributes: [ONNXAttribute] = [], outputs: Int = 1) -> [String] {
        let key = "\(type)(\(inputs.joined(separator: ",")))\(attributes)"
        if let existing = sharedNodes[key] { return existing }
        let made = ops(type, inputs, attributes, outputs: outputs)
        sharedNodes[key] = made
        return made
    }

    /// A `Constant` node holding `value`, shared by every use of the same value.
    mutating func constant(_ value: ONNXConstant) -> String {
        let key = "\(value.elementType.rawValue):\(value.shape):\(value.bytes)"
        if let existing = constants[key] { return existing }
        let saved = scope
        scope = "/constants"
        let output = op("Constant", [], [ONNXAttribute("value", .tensor(value))])
        scope = saved
        constants[key] = output
        return output
    }

    /// An INT64 1-D constant.
    mutating func ints(_ values: [Int]) -> String { constant(.int64(values)) }

    /// Adds `initializer` once; returns its name.
    @discardableResult
    mutating func initializer(_ initializer: ONNXInitializer) -> String {
        if initializerNames.insert(initializer.name).inserted { initializers.append(initializer) }
        return initializer.name
    }

    private mutating func unique(_ base: String) -> String {
        let count = usedNames[base, default: 0]
        usedNames[base] = count + 1
        return count == 0 ? base : "\(base)_\(count)"
    }
}
