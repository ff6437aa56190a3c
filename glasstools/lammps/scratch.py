"""Hidden scratch folders next to an output, removed however the job ends.

A protocol writing ``out`` works in ``.<out.name>.XXXXXXXX`` (``tempfile.mkdtemp``) in the same
folder, so the final ``os.replace`` into place is atomic. ``scratch_dir`` removes that folder
on success and on any exception, and first removes stale folders of the same output left by
a killed earlier run (SIGKILL skips every ``finally``): Snakemake runs one job per output at a
time, so a folder matching the pattern cannot belong to a live job.
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
def scratch_dir(out):
    """Yield a new scratch folder for ``out`` (the same path on every MPI rank; rank 0 creates
    and removes it), after removing stale ones; removed when the block ends (after a barrier)
    or raises (at once)."""
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    out = Path(out)
    name = None
    if comm.Get_rank() == 0:
        out.parent.mkdir(parents=True, exist_ok=True)
        for old in stale_scratch(out):
            shutil.rmtree(old, ignore_errors=True)
        name = tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent)
    path = Path(comm.bcast(name, root=0))
    try:
        yield path
    except BaseException:   # no barrier: the other ranks may not get here
        if comm.Get_rank() == 0:
            shutil.rmtree(path, ignore_errors=True)
        raise
    comm.Barrier()          # every rank is done with the files
    if comm.Get_rank() == 0:
        shutil.rmtree(path, ignore_errors=True)
