"""Periodic geometry of an orthogonal box (2D or 3D): the one place for minimum image and wrapping.

With box lengths L (D,) and lower corner lo:

* minimum image of a separation d:  d - L round(d / L)  (unique for |d| components < L/2);
* wrap into the box:  lo + (x - lo) mod L, in [lo, lo + L) (x mod L can round to L; mapped to lo);
* unwrap with LAMMPS image flags n (``ix iy iz``):  x + n L  (LAMMPS manual, read_data, "Atoms");
* displacement of each particle from configuration a to b:  minimum_image(b - a) (or b - a for
  unwrapped trajectories, where MD displacements can exceed L/2: pass ``box_len=None``).

Pure functions over arrays: positions (N, D), box lengths (D,).
"""
from __future__ import annotations

import numpy as np


def minimum_image(d, box_len):
    """d - L round(d / L) componentwise; ``d`` unchanged when ``box_len`` is None."""
    d = np.asarray(d, dtype=float)
    if box_len is None:
        return d
    L = np.asarray(box_len, dtype=float)
    return d - L * np.round(d / L)


def wrap(positions, box_len, box_lo=None):
    """Positions wrapped into [lo, lo + L) (lo = 0 by default)."""
    L = np.asarray(box_len, dtype=float)
    lo = 0.0 if box_lo is None else np.asarray(box_lo, dtype=float)
    x = np.mod(np.asarray(positions, dtype=float) - lo, L)
    return lo + np.where(x >= L, x - L, x)


def unwrap(positions, images, box_len):
    """Unwrapped positions x + n L from wrapped ``positions`` and integer image flags ``images``."""
    return np.asarray(positions, dtype=float) + np.asarray(images) * np.asarray(box_len, dtype=float)


def displacements(a, b, box_len=None):
    """Per-particle displacement vectors r_i^b - r_i^a, (N, D), minimum image if ``box_len``."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"configurations differ in shape: {a.shape} vs {b.shape}")
    return minimum_image(b - a, box_len)


def unwrap_to(reference, positions, box_len):
    """``positions`` shifted by whole box vectors to the image nearest to ``reference``."""
    reference = np.asarray(reference, dtype=float)
    return reference + displacements(reference, positions, box_len)


def distances_from(positions, box_len, centre: int) -> np.ndarray:
    """Minimum-image distances of every particle from particle ``centre``."""
    pos = np.asarray(positions, dtype=float)
    d = minimum_image(pos - pos[centre], box_len)
    return np.sqrt(np.einsum("nd,nd->n", d, d))


def slab(positions, box_len, normal: int = 2, centre: float | None = None, width: float = 1.0):
    """``(mask, axes)`` for drawing a 3D configuration in projection: the particles with
    |r_normal - centre| < width / 2 (minimum image; default centre: middle of the box) and the
    two in-plane axes. In 2D every particle and axes [0, 1]."""
    pos = np.asarray(positions, dtype=float)
    box_len = np.asarray(box_len, dtype=float)
    if pos.shape[1] == 2:
        return np.ones(len(pos), bool), [0, 1]
    c = box_len[normal] / 2 if centre is None else centre
    dz = minimum_image(pos[:, normal] - c, box_len[normal])
    return np.abs(dz) < width / 2, [k for k in range(3) if k != normal]
