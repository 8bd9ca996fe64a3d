"""The model: the vocabulary and the CBOW word2vec trainer (the only code that imports torch, lazily)."""
