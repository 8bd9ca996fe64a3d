"""Notes: finding a vault's Markdown files, reading them safely, parsing and tokenizing them.

The first stage of the pipeline (notes → model → index → queries); it knows nothing of training or storage.
"""
