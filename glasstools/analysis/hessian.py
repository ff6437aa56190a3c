"""Energy, forces and the sparse analytic Hessian of a configuration (``Frame``) for a model.

``energy_forces(frame, model)`` and ``hessian(frame, model)`` ask the model how: a pair model
(``model.is_pair``) is built here from its pair terms; any other (many-body) model provides
``model.energy_forces(frame)`` and ``model.hessian(frame)`` itself.

Pair models: E = sum_{i<j} U(r_ij), r_ij = |r_ij|, r_ij = r_j - r_i (minimum image),
n = r_ij / r_ij. Forces: F_i = sum_j U'(r_ij) n_ij (and F_j = -U' n_ij for each pair).
Hessian, per pair (the per-pair derivative construction of matscipy's
``calculators.pair_potential``; P1 = Shimada et al. 2024, Sec. II, for its use in INM):

    K_ij = d^2E / dr_i dr_j = -[U''(r) n n^T + (U'(r)/r)(I - n n^T)]      (i != j),
    K_ii = -sum_{j != i} K_ij                                              (translation invariance).

The matrix is returned as ``scipy.sparse.bsr_matrix`` of shape (DN, DN) with (D, D) blocks,
rows/columns in the frame's particle order (id order), components x, y(, z) fastest. Masses
are 1, so this is also the dynamical matrix.

Bad configurations are refused with the atom ids named: non-finite positions, two atoms at the
same position (r_ij = 0), or a pair term that is not finite (e.g. overlapping LJ cores).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from ..configuration import Frame
from .neighbours import pairs


class PairData(NamedTuple):
    """Interacting pairs of a frame: indices i < j, distances r, unit vectors n = r_ij / r,
    and the model's per-pair parameters ``p``."""

    i: np.ndarray
    j: np.ndarray
    r: np.ndarray
    n: np.ndarray
    p: dict


def _atoms(frame: Frame, i, j, limit: int = 5) -> str:
    pairs_ = [f"({int(frame.ids[a])}, {int(frame.ids[b])})" for a, b in zip(i[:limit], j[:limit])]
    more = f" and {len(i) - limit} more" if len(i) > limit else ""
    return ", ".join(pairs_) + more


def _check_finite(frame: Frame, what: str, values, pd: PairData) -> None:
    bad = ~np.isfinite(values)
    if bad.ndim > 1:
        bad = bad.reshape(len(bad), -1).any(axis=1)
    if bad.any():
        raise ValueError(f"non-finite {what} for atom id pairs {_atoms(frame, pd.i[bad], pd.j[bad])}: "
                         "overlapping atoms (check the configuration)")


def pair_data(frame: Frame, model) -> PairData:
    """Pairs within the model's cutoffs (minimum image) and their parameters; raises
    ``ValueError`` naming the atoms for non-finite positions or coincident atoms."""
    pos = frame.positions - frame.box_lo
    bad = ~np.isfinite(pos).all(axis=1)
    if bad.any():
        raise ValueError(f"non-finite positions of atom ids {frame.ids[bad][:10].tolist()}")
    i, j, rij = pairs(pos, frame.box_len, model.max_cutoff(frame.diameters))
    d = frame.diameters
    dij = (None, None) if d is None else (d[i], d[j])
    terms = model.pair_terms(frame.types[i], frame.types[j], *dij)
    r = np.sqrt(np.einsum("pd,pd->p", rij, rij))
    keep = r < terms.cutoff
    params = {k: np.asarray(v)[keep] if np.ndim(v) else v for k, v in terms.params.items()}
    i, j, r, rij = i[keep], j[keep], r[keep], rij[keep]
    same = r == 0.0
    if same.any():
        raise ValueError(f"atoms at the same position (r = 0): atom id pairs {_atoms(frame, i[same], j[same])}")
    return PairData(i, j, r, rij / r[:, None], params)


def energy_forces(frame: Frame, model):
    """Total energy E and forces (N, D) of ``frame`` for ``model``."""
    if not model.is_pair:
        return model.energy_forces(frame)
    pd = pair_data(frame, model)
    n_atoms, dim = frame.positions.shape
    u, du = model.u(pd.r, pd.p), model.du(pd.r, pd.p)
    _check_finite(frame, "pair energy U(r)", u, pd)
    _check_finite(frame, "pair force U'(r)", du, pd)
    energy = float(np.sum(u))
    fpair = du[:, None] * pd.n  # force on i from j
    forces = np.column_stack([
        np.bincount(pd.i, fpair[:, a], n_atoms) - np.bincount(pd.j, fpair[:, a], n_atoms)
        for a in range(dim)])
    return energy, forces


def hessian(frame: Frame, model) -> sp.bsr_matrix:
    """Sparse Hessian d^2E/dr dr (DN x DN, blocksize (D, D)) of ``frame``; see the module docstring."""
    if not model.is_pair:
        return model.hessian(frame)
    pd = pair_data(frame, model)
    i, j, n = pd.i, pd.j, pd.n
    n_atoms, dim = frame.positions.shape
    d1r = model.du(pd.r, pd.p) / pd.r
    d2 = model.d2u(pd.r, pd.p)
    _check_finite(frame, "pair term U'(r)/r", d1r, pd)
    _check_finite(frame, "pair term U''(r)", d2, pd)
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
