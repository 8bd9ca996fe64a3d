"""Faces for programs: the MCP server (`notelink mcp`), built on `notelink.api` like the CLI and the TUI."""
