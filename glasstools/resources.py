"""Where the files glasstools ships next to its Python code live: LAMMPS decks, the C++ plugin
sources and the workflow's config schema.

In the repository they are the top-level ``lammps_inputs/`` (decks, ``plugins/``) and
``workflow/schemas/`` (Snakemake's layout wants them there). A built wheel (``pip install .``,
non-editable) carries copies of the same files as package data ``glasstools/_data/lammps_inputs``
and ``glasstools/_data/schemas`` (mapped by ``package_dir`` in ``setup.py``). The installed copy
is used when present, else the repository's: both layouts give the same paths below.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _located(installed: str, repository: str) -> Path:
    path = _PACKAGE / "_data" / installed
    return path if path.is_dir() else _PACKAGE.parent / repository


#: protocol decks ``*.lmp`` (``glasstools.lammps.deck``)
DECK_DIR = _located("lammps_inputs", "lammps_inputs")
#: C++ sources of the LAMMPS plugin (``glasstools.lammps.plugins``)
PLUGIN_SRC_DIR = DECK_DIR / "plugins"
#: JSON schema of the workflow configuration (``glasstools.config``)
SCHEMA_PATH = _located("schemas", "workflow/schemas") / "config.schema.yaml"
