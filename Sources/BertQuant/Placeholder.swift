// Placeholder until the BertQuant issue lands.
