"""Energy, forces and the sparse analytic Hessian of a pair potential in a periodic box.

E = sum_{i<j} U(r_ij), r_ij = |r_ij|, r_ij = r_j - r_i (minimum image), n = r_ij / r_ij.
Forces: F_i = sum_j U'(r_ij) n_ij (and F_j = -U' n_ij for each pair).
Hessian, per pair (the per-pair derivative construction of matscipy's
``calculators.pair_potential``; P1 = Shimada et al. 2024, Sec. II, for its use in INM):

    K_ij = d^2E / dr_i dr_j = -[U''(r) n n^T + (U'(r)/r)(I - n n^T)]      (i != j),
    K_ii = -sum_{j != i} K_ij                                              (translation invariance).

The matrix is returned as ``scipy.sparse.bsr_matrix`` of shape (DN, DN) with (D, D) blocks,
rows/columns in the particle order given (callers pass id-sorted arrays), components x, y(, z)
fastest. Masses are 1, so this is also the dynamical matrix.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .neighbours import pairs


def pair_data(positions, box_len, model, types, diameters):
    """Interacting pairs: i, j, r, unit vectors n, and the model's per-pair parameters."""
    types = np.asarray(types)
    cut = model.max_cutoff(diameters)
    i, j, rij = pairs(positions, box_len, cut)
    dij = (None, None) if diameters is None else (np.asarray(diameters)[i], np.asarray(diameters)[j])
    terms = model.pair_terms(types[i], types[j], *dij)
    r = np.sqrt(np.einsum("pd,pd->p", rij, rij))
    keep = r < terms.cutoff
    params = {k: np.asarray(v)[keep] if np.ndim(v) else v for k, v in terms.params.items()}
    return i[keep], j[keep], r[keep], rij[keep] / r[keep, None], params


def energy_forces(positions, box_len, model, types, diameters=None):
    """Total energy E and forces (N, D) for ``model`` with per-particle ``types`` (1-based)."""
    pos = np.asarray(positions, dtype=float)
    n_atoms, dim = pos.shape
    i, j, r, n, p = pair_data(pos, box_len, model, types, diameters)
    energy = float(np.sum(model.u(r, p)))
    fpair = model.du(r, p)[:, None] * n  # force on i from j
    forces = np.column_stack([
        np.bincount(i, fpair[:, a], n_atoms) - np.bincount(j, fpair[:, a], n_atoms) for a in range(dim)
    ])
    return energy, forces


def hessian(positions, box_len, model, types, diameters=None) -> sp.bsr_matrix:
    """Sparse Hessian d^2E/dr dr (DN x DN, blocksize (D, D)); see the module docstring."""
    pos = np.asarray(positions, dtype=float)
    n_atoms, dim = pos.shape
    i, j, r, n, p = pair_data(pos, box_len, model, types, diameters)
    d1r = model.du(r, p) / r
    d2 = model.d2u(r, p)
    nn = n[:, :, None] * n[:, None, :]
    eye = np.eye(dim)[None]
    k_off = -((d2 - d1r)[:, None, None] * nn + d1r[:, None, None] * eye)
    diag = np.empty((n_atoms, dim, dim))
    for a in range(dim):
        for b in range(dim):
            diag[:, a, b] = -(np.bincount(i, k_off[:, a, b], n_atoms) + np.bincount(j, k_off[:, a, b], n_atoms))
    rows = np.concatenate([i, j, np.arange(n_atoms)])
    cols = np.concatenate([j, i, np.arange(n_atoms)])
    blocks = np.concatenate([k_off, k_off, diag])  # K_ji = K_ij^T = K_ij (symmetric blocks)
    order = np.lexsort((cols, rows))
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_atoms))])
    return sp.bsr_matrix((blocks[order], cols[order], indptr), shape=(dim * n_atoms, dim * n_atoms))
