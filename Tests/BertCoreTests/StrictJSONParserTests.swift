import Testing
@testable import BertCore

@Suite struct StrictJSONParserTests {
    private func parse(_ text: String) throws(StrictJSONParser.Failure) -> JSONValue {
        try StrictJSONParser.parse(Array(text.utf8))
    }

    @Test func parsesNestedDocumentKeepingKeyOrder() throws {
        let value = try parse(#"{"b": [1, -2.5e1, true, null], "a": {"s": "x\u00e9\n\ud83d\ude00"}}"#)
        #expect(value.objectValue?.map(\.key) == ["b", "a"])
        #expect(value["b"] == .array([.int(1), .double(-25), .bool(true), .null]))
        #expect(value["a"]?["s"]?.stringValue == "xé\n😀")
    }

    @Test func rejectsDuplicateKeysNamingTheKey() {
        #expect {
            try parse(#"{"w": 1, "w": 2}"#)
        } throws: { error in
            let failure = error as! StrictJSONParser.Failure
            return failure.duplicateKey == "w" && failure.byteOffset == 9
        }
    }

    @Test(arguments: [
        ("{", "expected a key"), ("[1", "unexpected end of input"), (#"{"a" 1}"#, "expected ':'"), ("[1,]", "unexpected character"),
        ("01", "trailing characters"), (#""\x""#, "invalid escape"), ("\"a\u{01}\"", "control character in string"),
        ("1e999", "number out of range"), (#""\ud800""#, "expected '\u{5C}u'"), ("tru", "expected 'true'"),
    ])
    func rejectsMalformedInput(text: String, reason: String) {
        #expect {
            try parse(text)
        } throws: { error in
            (error as! StrictJSONParser.Failure).reason == reason
        }
    }

    @Test func capsNestingDepth() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect {
            try parse(deep)
        } throws: { error in
            (error as! StrictJSONParser.Failure).reason.contains("nesting deeper than 128")
        }
    }

    @Test func writerRoundTripsDeterministically() throws {
        let value: JSONValue = .object([("z", .int(1)), ("a", .array([.double(0.1), .string("q\"\u{1}")])), ("e", .object([]))])
        let text = JSONWriter.pretty(value)
        #expect(try parse(text) == value)
        #expect(JSONWriter.compact(value) == #"{"z":1,"a":[0.1,"q\"\u0001"],"e":{}}"#)
    }
}
