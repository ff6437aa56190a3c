"""A configuration of particles in an orthogonal periodic box: the ``Frame`` type.

One frame holds what every analysis and protocol needs of a configuration: positions (N, D) in
atom-id order, box lower corner and lengths (D,), ids, types (1-based, as LAMMPS atom types),
optionally per-particle diameters, integer image flags (unwrapped position x + n L,
``glasstools.geometry.unwrap``) and velocities (N, D) (MD dumps with ``vx vy vz``). It is pure data: reading and writing live in
``glasstools.lammps.dump``, periodic geometry in ``glasstools.geometry``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geometry import displacements, unwrap


@dataclass
class Frame:
    positions: np.ndarray                # (N, D), sorted by id
    box_len: np.ndarray                  # (D,)
    types: np.ndarray                    # (N,) 1-based
    ids: np.ndarray | None = None        # (N,) ascending; default 1..N
    box_lo: np.ndarray | None = None     # (D,); default 0
    diameters: np.ndarray | None = None  # (N,)
    images: np.ndarray | None = None     # (N, D) int image flags
    timestep: int = 0
    velocities: np.ndarray | None = None  # (N, D)

    def __post_init__(self):
        self.positions = np.asarray(self.positions, dtype=float)
        if self.positions.ndim != 2 or self.positions.shape[1] not in (2, 3):
            raise ValueError(f"Frame positions must be (N, 2) or (N, 3); got shape {self.positions.shape}")
        n, dim = self.positions.shape
        self.box_len = np.asarray(self.box_len, dtype=float).reshape(-1)
        self.box_lo = (np.zeros(dim) if self.box_lo is None
                       else np.asarray(self.box_lo, dtype=float).reshape(-1))
        if self.box_len.shape != (dim,) or self.box_lo.shape != (dim,):
            raise ValueError(f"Frame box_len/box_lo must have {dim} components (got "
                             f"{self.box_len.shape}, {self.box_lo.shape})")
        self.types = np.broadcast_to(np.asarray(self.types, dtype=int), (n,)).copy()
        self.ids = np.arange(1, n + 1) if self.ids is None else np.asarray(self.ids, dtype=int)
        if self.ids.shape != (n,):
            raise ValueError(f"Frame ids must have N = {n} entries (got {self.ids.shape})")
        if self.velocities is not None:
            self.velocities = np.asarray(self.velocities, dtype=float)
            if self.velocities.shape != self.positions.shape:
                raise ValueError(f"Frame velocities must have the shape of positions {self.positions.shape} "
                                 f"(got {self.velocities.shape})")
        if self.diameters is not None:
            self.diameters = np.asarray(self.diameters, dtype=float)
            if self.diameters.shape != (n,):
                raise ValueError(f"Frame diameters must have N = {n} entries (got {self.diameters.shape})")

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def dim(self) -> int:
        return self.positions.shape[1]

    def unwrapped(self) -> np.ndarray:
        """Positions x + n L with the image flags (the positions when there are none)."""
        return self.positions if self.images is None else unwrap(self.positions, self.images, self.box_len)

    def displacements_to(self, other: Frame) -> np.ndarray:
        """Minimum-image displacements r_i(other) - r_i(self), (N, D), of the same particles."""
        check_same_particles(self, other)
        return displacements(self.positions, other.positions, self.box_len)


def check_same_particles(a: Frame, b: Frame, rtol: float = 1e-12) -> None:
    """Raise ``ValueError`` unless ``a`` and ``b`` hold the same particles (ids, types,
    diameters) in the same box (e.g. a start configuration and its inherent structure)."""
    problems = []
    if a.n != b.n or not np.array_equal(a.ids, b.ids):
        problems.append("ids differ")
    elif not np.array_equal(a.types, b.types):
        problems.append("types differ")
    if not (np.allclose(a.box_lo, b.box_lo, rtol=rtol, atol=0)
            and np.allclose(a.box_len, b.box_len, rtol=rtol, atol=0)):
        problems.append(f"boxes differ ({a.box_lo}, {a.box_len} vs {b.box_lo}, {b.box_len})")
    if (a.diameters is None) != (b.diameters is None):
        problems.append("only one has diameters")
    elif a.diameters is not None and a.n == b.n and not np.allclose(a.diameters, b.diameters,
                                                                     rtol=rtol, atol=0):
        problems.append("diameters differ")
    if problems:
        raise ValueError("not the same particles: " + "; ".join(problems))
