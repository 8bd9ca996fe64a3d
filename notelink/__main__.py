"""`python -m notelink` entry point."""

from notelink.cli import main

raise SystemExit(main())
