"""Periodic pair list in an orthogonal box (2D or 3D) from a k-d tree.

Pairs (i, j), i < j, with |r_ij| < cutoff under the minimum-image convention, where
r_ij = r_j - r_i - L round((r_j - r_i)/L) (``glasstools.geometry``). Positions are first wrapped into [0, L) as
``scipy.spatial.cKDTree(boxsize=L)`` requires. The minimum image is unique only if
cutoff < L/2 in every direction, which is enforced. The tree keeps pairs at distance <= cutoff in its
own rounding; ``pairs_within`` adds |r_ij| and keeps exactly |r_ij| < cutoff (the interaction range
of a many-body model).
"""
from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from ..geometry import minimum_image, wrap


def pairs(positions, box_len, cutoff):
    """Return ``(i, j, rij)``: index arrays with i < j and minimum-image vectors r_j - r_i.

    ``positions`` is (N, D), ``box_len`` the D box lengths, ``cutoff`` a scalar distance.
    """
    box_len = np.asarray(box_len, dtype=float)
    pos = np.asarray(positions, dtype=float)
    if pos.ndim != 2 or pos.shape[1] != box_len.size:
        raise ValueError(f"positions shape {pos.shape} does not match box_len of size {box_len.size}")
    if not 2.0 * cutoff < box_len.min():
        raise ValueError(f"cutoff {cutoff} must be < half the smallest box length {box_len.min()}")
    x = wrap(pos, box_len)
    ij = cKDTree(x, boxsize=box_len).query_pairs(cutoff, output_type="ndarray")
    ij = np.sort(ij, axis=1)
    i, j = ij[:, 0].astype(np.int64), ij[:, 1].astype(np.int64)
    return i, j, minimum_image(x[j] - x[i], box_len)


def pairs_within(positions, box_len, cutoff):
    """``(i, j, rij, r)``: the ``pairs`` with r = |rij| < cutoff strictly, and r."""
    i, j, rij = pairs(positions, box_len, cutoff)
    r = np.linalg.norm(rij, axis=1)
    keep = r < cutoff
    return i[keep], j[keep], rij[keep], r[keep]
