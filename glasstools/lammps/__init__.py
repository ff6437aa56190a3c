"""Running LAMMPS from glasstools: loading the library, decks, dumps and logs."""
from .session import import_lammps, open_lammps, LammpsFailure

__all__ = ["import_lammps", "open_lammps", "LammpsFailure"]
