"""notelink: related notes and concepts learned from your own Markdown vault."""

__version__ = "0.1.0"
