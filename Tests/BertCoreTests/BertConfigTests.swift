import Testing
@testable import BertCore

@Suite struct BertConfigTests {
    private let valid = #"{"vocab_size": 30522, "hidden_size": 768, "num_hidden_layers": 12, "num_attention_heads": 12, "intermediate_size": 3072, "max_position_embeddings": 512, "type_vocab_size": 2, "hidden_act": "gelu", "id2label": {"0": "NEG", "1": "POS"}, "custom_key": [1]}"#

    private func config(_ text: String) throws -> BertConfig {
        try BertConfig(json: StrictJSONParser.parse(Array(text.utf8)), path: "config.json")
    }

    @Test func readsHuggingFaceAndGoogleKeys() throws {
        let c = try config(valid)
        #expect(c.hiddenSize == 768 && c.headSize == 64 && c.numLabels == 2 && c.layerNormEps == 1e-12)
    }

    @Test(arguments: [
        ("\"hidden_size\": 768", "", "config.json: config field 'hidden_size': missing"),
        ("\"hidden_size\": 768", "\"hidden_size\": -1", "config.json: config field 'hidden_size': must be a positive integer"),
        ("\"num_attention_heads\": 12", "\"num_attention_heads\": 7", "config.json: config field 'num_attention_heads': hidden_size 768 is not a multiple of 7"),
        ("\"hidden_act\": \"gelu\"", "\"hidden_act\": \"tanh\"", "config.json: config field 'hidden_act': unsupported activation 'tanh'"),
    ])
    func namesTheBadField(original: String, replacement: String, message: String) {
        var text = valid.replacing(original, with: replacement)
        text = text.replacing(", ,", with: ",").replacing("{, ", with: "{")
        #expect {
            try config(text)
        } throws: { error in
            (error as! GraphError).description == message
        }
    }

    @Test func huggingFaceJSONKeepsUnknownKeysAndSetsArchitecture() throws {
        let json = try config(valid).huggingFaceJSON(head: .sequenceClassification, tieWordEmbeddings: true)
        #expect(json["architectures"] == .array([.string("BertForSequenceClassification")]))
        #expect(json["custom_key"] == .array([.int(1)]))
        #expect(json["id2label"]?["1"]?.stringValue == "POS")
    }
}
