"""Stored eigenpairs: the modes an INM job computed, with the solver settings that produced them,
so that a new mode observable loads them instead of rerunning the eigen-solver.

One compressed NumPy archive (``.npz``, no pickles) per file, holding named mode sets (e.g. one per
snapshot of a sample). Set i is stored as arrays ``{i}.eigenvalues`` (k,), ``{i}.vectors``
(DN, k; unit columns, particle-major, float64 as computed) and ``{i}.residuals`` (k,) |H e - lambda e|;
``meta`` is one JSON string: the file-level metadata, the package versions (``provenance``), the
format tag and, under ``sets``, each set's name and metadata (solver method, tolerances, shift,
seed, N, dof, which modes). Written atomically (temporary file + rename, ``atomic_path``), so an
interrupted job never leaves a file that looks finished. Values round-trip bit-identically.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from .tables import _jsonable, atomic_path, provenance

FORMAT = "glasstools.modes/1"


@dataclass
class ModeSet:
    """Eigenpairs of one Hessian: ``eigenvalues`` (k,), ``vectors`` (DN, k), ``residuals`` (k,), ``meta``."""

    eigenvalues: np.ndarray
    vectors: np.ndarray
    residuals: np.ndarray
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        self.eigenvalues = np.asarray(self.eigenvalues, dtype=float)
        self.vectors = np.asarray(self.vectors, dtype=float)
        self.residuals = np.asarray(self.residuals, dtype=float)
        k = len(self.eigenvalues)
        if self.vectors.ndim != 2 or self.vectors.shape[1] != k or self.residuals.shape != (k,):
            raise ValueError(f"a mode set needs eigenvalues (k,), vectors (DN, k) and residuals (k,); got "
                             f"{self.eigenvalues.shape}, {self.vectors.shape}, {self.residuals.shape}")


def save_modes(path, sets: Mapping[str, ModeSet], meta: dict | None = None) -> None:
    """Write the named mode ``sets`` and file-level ``meta`` to the ``.npz`` file ``path`` atomically."""
    arrays = {}
    for i, s in enumerate(sets.values()):
        arrays.update({f"{i}.eigenvalues": s.eigenvalues, f"{i}.vectors": s.vectors, f"{i}.residuals": s.residuals})
    full = {**(meta or {}), "format": FORMAT, "versions": provenance(),
            "sets": [{"name": name, "meta": s.meta} for name, s in sets.items()]}
    arrays["meta"] = np.array(json.dumps(full, sort_keys=True, default=_jsonable))
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez_compressed(fh, **arrays)


def load_modes(path) -> tuple[dict[str, ModeSet], dict]:
    """Return ``({name: ModeSet}, file metadata)`` of a file written by ``save_modes``."""
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path}: not a stored-modes file of format {FORMAT} (got {meta.get('format')!r})")
        sets = {entry["name"]: ModeSet(z[f"{i}.eigenvalues"], z[f"{i}.vectors"], z[f"{i}.residuals"], entry["meta"])
                for i, entry in enumerate(meta.pop("sets"))}
    return sets, meta
