"""Hidden scratch folders next to an output, removed however the job ends.

A protocol writing ``out`` works in ``.<out.name>.XXXXXXXX`` (``tempfile.mkdtemp``) in the same
folder (SD: ``.sd.*``, prepare: ``.start.data.*``, clone and MD dumps, NEB pairs), so the final
``os.replace`` into place is atomic. ``scratch_dir`` removes that folder on success and on any
exception, and first removes stale folders of the same output left by a killed earlier run
(SIGKILL skips every ``finally``): Snakemake runs one job per output at a time, so a folder
matching the pattern cannot belong to a live job.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

_SUFFIX = r"[A-Za-z0-9_]{8}"   # tempfile's random names


def stale_scratch(out) -> list[Path]:
    """Existing scratch folders of ``out`` (``.<name>.XXXXXXXX`` directories beside it)."""
    out = Path(out)
    pattern = re.compile(rf"\.{re.escape(out.name)}\.{_SUFFIX}")
    if not out.parent.is_dir():
        return []
    return sorted(p for p in out.parent.iterdir() if pattern.fullmatch(p.name) and p.is_dir())


@contextmanager
def scratch_dir(out, mpi: bool = True):
    """Yield a new scratch folder for ``out`` (the same path on every MPI rank; rank 0 creates
    and removes it), after removing stale ones; removed when the block ends (after a barrier)
    or raises (at once). ``mpi=False``: a plain process that must not initialise MPI (e.g. the
    parent of an ``mpiexec`` job)."""
    if mpi:
        from mpi4py import MPI

        comm = MPI.COMM_WORLD
    rank = comm.Get_rank() if mpi else 0
    out = Path(out)
    name = None
    if rank == 0:
        out.parent.mkdir(parents=True, exist_ok=True)
        for old in stale_scratch(out):
            shutil.rmtree(old, ignore_errors=True)
        name = tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent)
    path = Path(comm.bcast(name, root=0) if mpi else name)
    try:
        yield path
    except BaseException:   # no barrier: the other ranks may not get here
        if rank == 0:
            shutil.rmtree(path, ignore_errors=True)
        raise
    if mpi:
        comm.Barrier()      # every rank is done with the files
    if rank == 0:
        shutil.rmtree(path, ignore_errors=True)
