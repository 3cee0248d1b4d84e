import BertCore

/// Arbitrary bytes through the strict JSON parser (every header, config and index goes through it),
/// then through BertConfig: must never crash; accepted documents must round-trip through the writer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let value = try? StrictJSONParser.parse(bytes) else { return 0 }
    let reparsed = try? StrictJSONParser.parse(Array(JSONWriter.compact(value).utf8))
    precondition(reparsed != nil, "writer output does not parse")
    _ = try? BertConfig(json: value, path: "fuzz")
    return 0
}
