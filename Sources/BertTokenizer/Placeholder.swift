// Placeholder until the BertTokenizer issue lands.
