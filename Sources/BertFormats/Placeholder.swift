// Placeholder until the BertFormats issue lands.
