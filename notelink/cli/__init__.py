"""The `notelink` command line: arguments, one function per command, the progress bar."""
