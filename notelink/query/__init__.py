"""Queries: a loaded index generation and the questions asked of it (numpy, scipy and SQLite only)."""
