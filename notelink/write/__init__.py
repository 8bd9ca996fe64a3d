"""Writing: exports of related notes, files a command writes, and the managed block inside notes."""
