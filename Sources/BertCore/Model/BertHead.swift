/// The task head on top of the encoder; raw values are Hugging Face PyTorch class names.
public enum BertHead: String, Sendable, CaseIterable, Codable {
    case base = "BertModel"
    case preTraining = "BertForPreTraining"
    case maskedLM = "BertForMaskedLM"
    case causalLM = "BertLMHeadModel"
    case nextSentence = "BertForNextSentencePrediction"
    case sequenceClassification = "BertForSequenceClassification"
    case tokenClassification = "BertForTokenClassification"
    case questionAnswering = "BertForQuestionAnswering"
    case multipleChoice = "BertForMultipleChoice"

    /// Whether the head needs the pooler (`add_pooling_layer`); `base` has it only when the source does.
    public var usesPooler: Bool {
        switch self {
        case .base: false
        case .preTraining, .nextSentence, .sequenceClassification, .multipleChoice: true
        case .maskedLM, .causalLM, .tokenClassification, .questionAnswering: false
        }
    }

    /// Whether the head has the masked-LM prediction head (`cls.predictions.*`).
    public var usesLMHead: Bool { self == .preTraining || self == .maskedLM || self == .causalLM }

    /// Whether `num_labels` shapes the head.
    public var usesLabels: Bool { self == .sequenceClassification || self == .tokenClassification }

    /// The canonical tensor groups this head needs beyond the encoder.
    public var headGroups: [CanonicalGroup] {
        switch self {
        case .base: []
        case .preTraining: [.lmHead, .nextSentence]
        case .maskedLM, .causalLM: [.lmHead]
        case .nextSentence: [.nextSentence]
        case .sequenceClassification, .tokenClassification: [.classifier]
        case .multipleChoice: [.choiceClassifier]
        case .questionAnswering: [.questionAnswering]
        }
    }

    /// The output fields HF returns, in its order.
    public func outputs(hasPooler: Bool) -> [String] {
        switch self {
        case .base: hasPooler ? ["last_hidden_state", "pooler_output"] : ["last_hidden_state"]
        case .preTraining: ["prediction_logits", "seq_relationship_logits"]
        case .questionAnswering: ["start_logits", "end_logits"]
        default: ["logits"]
        }
    }

    /// The head named by HF class name, accepting TF and Flax spellings (`TFBertModel`, `FlaxBertForMaskedLM`).
    public init?(className: String) {
        var name = className
        for prefix in ["TF", "Flax"] where name.hasPrefix(prefix + "Bert") { name.removeFirst(prefix.count) }
        if name == "BertForCausalLM" { name = "BertLMHeadModel" }
        self.init(rawValue: name)
    }
}
