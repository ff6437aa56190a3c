"""Running LAMMPS from glasstools: loading the library, decks, dumps and logs."""
from .session import LammpsFailure, import_lammps, lammps_errors, lammps_session, open_lammps

__all__ = ["import_lammps", "open_lammps", "lammps_session", "lammps_errors", "LammpsFailure"]
