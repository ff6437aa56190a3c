"""``glasstools`` command line: ``main()`` plus a registry of subcommand modules.

Each module named in ``COMMAND_MODULES`` (inside ``glasstools.commands``) defines
``register(subparsers)``, which adds its subparsers and sets ``func`` (called with the parsed
arguments; returns None or an exit status). Add a subcommand by adding its module name here.
"""
from __future__ import annotations

import argparse
import importlib

COMMAND_MODULES = ("protocols", "modes")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="glasstools",
                                     description="Potential-energy-landscape toolkit for glass formers")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"glasstools.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; ``ValueError``/``FileNotFoundError`` become a one-line error, exit status 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ValueError, FileNotFoundError) as exc:
        parser.exit(2, f"glasstools {args.command}: error: {exc}\n")


if __name__ == "__main__":
    raise SystemExit(main())
