"""Command-line interface: one module per command, discovered by ``main``."""
