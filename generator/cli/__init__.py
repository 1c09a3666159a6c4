"""The command line, one module per command (see commands.py)."""
