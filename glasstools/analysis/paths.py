"""Paths between two configurations as chains of replicas (NEB, P2): linear interpolation
between minima with the minimum image, continuity of a chain across the periodic box, and the
path length. Pure numpy; the NEB itself runs in ``glasstools.lammps.neb``."""
from __future__ import annotations

import numpy as np

from ..geometry import displacements


def interpolate_chain(pos_a, pos_b, box_len, n_images: int) -> np.ndarray:
    """Replicas k = 0..n+1: r_k = r_A + (k/(n+1)) d, d = minimum-image(r_B - r_A); (n+2, N, D)."""
    pos_a = np.asarray(pos_a, dtype=float)
    d = displacements(pos_a, pos_b, box_len)
    f = np.linspace(0.0, 1.0, n_images + 2)
    return pos_a[None] + f[:, None, None] * d[None]


def reaction_coordinate(chain, box_len) -> np.ndarray:
    """Cumulative path length sum_k |r_{k+1} - r_k| (3N-vector norm, minimum image)."""
    chain = np.asarray(chain, dtype=float)
    steps = [np.sqrt(np.sum(displacements(chain[k], chain[k + 1], box_len) ** 2))
             for k in range(len(chain) - 1)]
    return np.concatenate([[0.0], np.cumsum(steps)])


def unwrap_chain(chain, box_len) -> np.ndarray:
    """Make consecutive replicas continuous (each unwrapped to the image nearest its predecessor)."""
    out = np.array(chain, dtype=float)
    for k in range(1, len(out)):
        out[k] = out[k - 1] + displacements(out[k - 1], out[k], box_len)
    return out


__all__ = ["interpolate_chain", "reaction_coordinate", "unwrap_chain"]
