// Placeholder until the BertConvKit issue lands.
