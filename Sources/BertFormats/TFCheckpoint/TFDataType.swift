import BertCore

/// A TensorFlow element type code (`types.proto` `DataType`), with its name for messages and the
/// bertconv dtype it is stored as, when there is one (TF keeps numbers little-endian, as is).
struct TFDataType: Sendable, Equatable {
    let code: Int

    /// `DT_*` names and bertconv dtypes by code; codes bertconv cannot hold map to nil.
    private static let table: [Int: (name: String, dtype: DType?)] = [
        0: ("DT_INVALID", nil), 1: ("DT_FLOAT", .f32), 2: ("DT_DOUBLE", nil), 3: ("DT_INT32", .i32),
        4: ("DT_UINT8", nil), 5: ("DT_INT16", nil), 6: ("DT_INT8", .i8), 7: ("DT_STRING", nil),
        8: ("DT_COMPLEX64", nil), 9: ("DT_INT64", .i64), 10: ("DT_BOOL", nil), 14: ("DT_BFLOAT16", .bf16),
        19: ("DT_HALF", .f16), 20: ("DT_RESOURCE", nil), 21: ("DT_VARIANT", nil),
    ]

    var name: String { Self.table[code]?.name ?? "DataType \(code)" }
    var dtype: DType? { Self.table[code]?.dtype }
}
