import BertCore
import BertFormats

/// bertconv's int8 output is compressed-tensors' `int-quantized` layout (what llm-compressor
/// writes and `transformers` loads through the `compressed-tensors` package; formats/int8.md):
/// `<module>.weight` I8 `[out, in]`, `<module>.weight_scale` F32 `[out, 1]` (per channel) or `[1]`
/// (per tensor), `<module>.input_scale` F32 `[1]` for static activation scales; every other tensor
/// F32 under its Hugging Face name; `quantization_config` in config.json says which modules.
public enum Int8Layout {
    /// The compressed-tensors release whose layout this follows.
    public static let compressedTensorsVersion = "0.20.0"
    static let scaleSuffix = "_scale"

    /// The name of the scale tensor of weight `name` (`….weight` → `….weight_scale`).
    public static func scaleName(_ name: String) -> String { name + scaleSuffix }

    /// The static input scale of the module owning weight `name`.
    public static func inputScaleName(_ name: String) -> String { module(of: name) + ".input_scale" }

    /// `….weight` → `…` (the module path compressed-tensors names in `ignore` and `targets`).
    public static func module(of name: String) -> String {
        name.hasSuffix(".weight") ? String(name.dropLast(".weight".count)) : name
    }

    /// The safetensors entries of `graph` with the weights in `quantized` (by canonical name)
    /// in int8; every other tensor F32. Names are the state-dict names `transformers` saves.
    public static func entries(_ graph: BertModelGraph, quantized: [String: QuantizedWeight]) -> [SafetensorsWriter.Entry] {
        var entries: [SafetensorsWriter.Entry] = []
        for tensor in graph.tensors {
            let name = CanonicalName.stateDictName(tensor.name, head: graph.head)
            guard let weight = quantized[tensor.name] else {
                entries.append(SafetensorsWriter.Entry(name: name, dtype: .f32, shape: tensor.shape) { () throws(FormatError) in
                    let loaded = try tensor.load()
                    return loaded.dtype == .f32 ? loaded : loaded.converted(to: .f32)
                })
                continue
            }
            entries.append(SafetensorsWriter.Entry(name: name, tensor: weight.matrix.valuesTensor))
            entries.append(SafetensorsWriter.Entry(name: scaleName(name), tensor: weight.matrix.scalesTensor))
            if let scale = weight.inputScale {
                entries.append(SafetensorsWriter.Entry(name: inputScaleName(name), tensor: Tensor(float32: [scale], shape: [1])))
            }
        }
        return entries
    }

    /// config.json's `quantization_config`: one group for the int8 Linear layers (dynamic per-token
    /// or static per-tensor inputs), one for an int8 word-embedding table, fp32 Linears in `ignore`.
    public static func quantizationConfig(
        graph: BertModelGraph, quantized: [String: QuantizedWeight], linearNames: [String],
        granularity: WeightGranularity, staticActivations: Bool
    ) -> JSONValue {
        func args(strategy: String, dynamic: Bool) -> JSONValue {
            .object([("dynamic", .bool(dynamic)), ("group_size", .null), ("num_bits", .int(8)),
                     ("strategy", .string(strategy)), ("symmetric", .bool(true)), ("type", .string("int"))])
        }
        let stateName = { (name: String) in CanonicalName.stateDictName(name, head: graph.head) }
        let ignored = linearNames.filter { quantized[$0] == nil }.map { module(of: stateName($0)) }.sorted()
        var groups: [(key: String, value: JSONValue)] = [
            ("group_0", .object([
                ("format", .string("int-quantized")),
                ("input_activations", staticActivations
                    ? args(strategy: "tensor", dynamic: false) : args(strategy: "token", dynamic: true)),
                ("output_activations", .null),
                ("targets", .array([.string("Linear")])),
                ("weights", args(strategy: granularity == .channel ? "channel" : "tensor", dynamic: false)),
            ])),
        ]
        if quantized[CanonicalName.wordEmbeddings] != nil {
            groups.append(("group_1", .object([
                ("format", .string("naive-quantized")),
                ("input_activations", .null),
                ("output_activations", .null),
                ("targets", .array([.string("re:.*word_embeddings$")])),
                ("weights", args(strategy: "channel", dynamic: false)),
            ])))
        }
        return .object([
            ("config_groups", .object(groups)),
            ("format", .string(groups.count > 1 ? "mixed-precision" : "int-quantized")),
            ("global_compression_ratio", .null),
            ("ignore", .array(ignored.map { .string($0) })),
            ("kv_cache_scheme", .null),
            ("quant_method", .string("compressed-tensors")),
            ("quantization_status", .string("compressed")),
            ("sparsity_config", .object([])),
            ("transform_config", .object([])),
            ("version", .string(compressedTensorsVersion)),
        ])
    }
}
