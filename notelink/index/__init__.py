"""The index: note vectors from word vectors, building and updating a generation, storing it atomically."""
