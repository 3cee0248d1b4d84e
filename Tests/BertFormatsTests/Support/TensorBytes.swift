import BertCore

/// The raw bytes of a tensor, for bit-for-bit comparisons.
func bytes(_ tensor: Tensor) -> [UInt8] { tensor.withUnsafeBytes { Array($0) } }
