"""Watching a vault: file events filtered to notes, debounced, built in a child process, status on disk."""
