"""Subcommands of the ``glasstools`` command line (each module: ``register(subparsers)``)."""
