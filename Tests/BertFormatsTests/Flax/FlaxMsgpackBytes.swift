import TestSupport
@testable import BertFormats
import BertCore

/// Decodes `bytes` as a flax state dict.
func stateDict(_ bytes: [UInt8]) throws(FormatError) -> FlaxStateDict {
    try bytes.withUnsafeBytes { raw in
        Result { () throws(FormatError) in try FlaxStateDict(bytes: raw, file: "inline.msgpack") }
    }.get()
}

/// A temporary directory holding `files` (name → bytes); the directory lives as long as the value.
func temporaryModel(_ files: [String: [UInt8]]) -> TempDirectory {
    let directory = TempDirectory()
    for (name, bytes) in files { directory.write(name, bytes) }
    return directory
}
