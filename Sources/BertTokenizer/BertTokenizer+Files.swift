import BertCore

extension BertTokenizer {
    /// Loads the tokenizer of a model folder, or of a vocab.txt / tokenizer.json file: the
    /// vocabulary from vocab.txt (else `model.vocab` of tokenizer.json), options from
    /// tokenizer_config.json (else the tokenizer.json normalizer), then special_tokens_map.json,
    /// all looked up in the same folder.
    public static func load(_ path: String) throws(TokenizerError) -> BertTokenizer {
        let isDirectory = FileBytes.isDirectory(path)
        let directory = isDirectory ? path : ModelFolder.parent(of: path)
        let sibling = { (name: String) in ModelFolder.join(directory, name) }
        let vocabTxt = isDirectory ? sibling("vocab.txt") : (path.hasSuffix(".json") ? nil : path)
        let tokenizerJSONPath = isDirectory || vocabTxt == nil ? sibling("tokenizer.json") : nil

        var options = BertTokenizerOptions()
        let vocabulary: WordPieceVocabulary
        let vocabularyPath: String
        var tokenizerJSON: JSONValue?
        if let tokenizerJSONPath, FileBytes.exists(tokenizerJSONPath) {
            tokenizerJSON = try json(tokenizerJSONPath)
        }
        if let vocabTxt, FileBytes.exists(vocabTxt) || !isDirectory {
            vocabularyPath = vocabTxt
            vocabulary = try WordPieceVocabulary(vocabTxt: bytes(vocabTxt), path: vocabTxt)
        } else if let tokenizerJSON, let tokenizerJSONPath {
            vocabularyPath = tokenizerJSONPath
            vocabulary = try WordPieceVocabulary(tokenizerJSON: tokenizerJSON, path: tokenizerJSONPath)
        } else {
            throw TokenizerError(path: path, isDirectory ? .noVocabulary : .file(.missingFile(ModelFolder.basename(path))))
        }
        let config = sibling("tokenizer_config.json")
        if FileBytes.exists(config) {
            try options.apply(tokenizerConfig: json(config), path: config)
        } else if let tokenizerJSON, let tokenizerJSONPath {
            try options.apply(tokenizerJSON: tokenizerJSON, path: tokenizerJSONPath)
        }
        let specialTokensMap = sibling("special_tokens_map.json")
        if FileBytes.exists(specialTokensMap) {
            try options.apply(specialTokens: json(specialTokensMap), path: specialTokensMap)
        }
        return try BertTokenizer(vocabulary: vocabulary, options: options, path: vocabularyPath)
    }

    /// The vocab.txt HF's `save_vocabulary` writes, to be written wherever the caller writes
    /// outputs (`vocabulary.vocabTxtBytes`).
    public func saveVocabularyBytes() -> [UInt8] { vocabulary.vocabTxtBytes }

    private static func bytes(_ path: String) throws(TokenizerError) -> [UInt8] {
        do { return try FileBytes.read(path) } catch { throw TokenizerError(error) }
    }

    private static func json(_ path: String) throws(TokenizerError) -> JSONValue {
        do { return try FileBytes.json(path) } catch { throw TokenizerError(error) }
    }
}
