// Placeholder until the BertRunner issue lands.
