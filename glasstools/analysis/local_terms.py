"""A potential energy as a sum of local terms in bond vectors, and what follows from it exactly:
forces, the sparse Hessian and the derivatives under an affine simple shear.

    E = sum_t e_t(b_t1, ..., b_tK),   b_ta = x[atoms[t, a]] - x[atoms[t, 0]]   (minimum image),

one term t per interacting pair (K = 1: b = r_ij, e = U(r_ij)) or per triplet of a three-body
model (K = 2: b = r_ij, r_ik around the centre i, e.g. Stillinger-Weber). A term carries its
energy e_t, gradient g_ta = de_t/db_ta (D,) and Hessian h_tab = d^2 e_t / db_ta db_tb (D, D).
Because b_ta depends on the particles through the incidence A (atom 0: -1 for every bond, atom a:
+1 for bond a), with x_p the position of particle p:

    dE/dx_p = sum_t sum_a A_pa g_ta,      d^2E/dx_p dx_q = sum_t sum_ab A_pa A_qb h_tab.

Affine simple shear in the plane (alpha, beta): x_alpha -> x_alpha + gamma x_beta ("xy": x is
displaced in proportion to y), so db_ta/dgamma = (b_ta)_beta e_alpha and d^2 b/dgamma^2 = 0:

    d^2E/dgamma^2 (Born term)  = sum_t sum_ab (b_ta)_beta (b_tb)_beta (h_tab)_alpha,alpha
    Xi_p = d^2E/dgamma dx_p    = sum_t sum_b A_pb w_tb,
           w_tb = sum_a (h_tba)[:, alpha] (b_ta)_beta + (g_tb)_alpha e_beta.

These are the terms of P4 Eq. (A1) (Kapteijns et al., J. Chem. Phys. 155, 074502 (2021), App. A;
SCIENCE_P3_P4 §2.5): G = (1/V)(d^2E/dgamma^2 - Xi . M^-1 . Xi). For a pair term,
g = U'(r) n and h = U''(r) n n^T + (U'(r)/r)(I - n n^T), which gives the pair formulas of §2.5.
``local_terms(frame, model)`` builds the pair terms of a pair model (``model.is_pair``) from
``analysis.hessian.pair_data``; a many-body model returns its own (``model.local_terms(frame)``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..configuration import Frame
from .hessian import pair_data

#: terms per chunk when the Hessian blocks are assembled (bounds the memory of 9 (K+1)^2 D^2 floats per term)
CHUNK = 50_000
PLANES = {"xy": (0, 1), "yx": (1, 0), "xz": (0, 2), "zx": (2, 0), "yz": (1, 2), "zy": (2, 1)}


@dataclass
class LocalTerms:
    """Terms of one kind (same K): atoms (T, K+1), bonds (T, K, D), energy (T,), grad (T, K, D),
    hess (T, K, K, D, D); see the module docstring."""

    atoms: np.ndarray
    bonds: np.ndarray
    energy: np.ndarray
    grad: np.ndarray
    hess: np.ndarray

    @property
    def k(self) -> int:
        return self.bonds.shape[1]


def incidence(k: int) -> np.ndarray:
    """A (K+1, K): db_a/dx_p = A_pa I (atom 0 is the centre)."""
    return np.vstack([-np.ones((1, k)), np.eye(k)])


def radial_terms(i, j, r, n, u, du, d2u) -> LocalTerms:
    """K = 1 terms of radial pair energies U(r_ij) (i, j, r, unit n = r_ij/r and U, U', U'' per pair):
    b = r_ij = r_j - r_i, e = U(r), g = U' n, h = U'' n n^T + (U'/r)(I - n n^T)."""
    nn = n[:, :, None] * n[:, None, :]
    hess = d2u[:, None, None] * nn + (du / r)[:, None, None] * (np.eye(n.shape[1])[None] - nn)
    return LocalTerms(np.column_stack([i, j]), (r[:, None] * n)[:, None, :], u, (du[:, None] * n)[:, None, :],
                      hess[:, None, None])


def pair_local_terms(frame: Frame, model) -> LocalTerms:
    """K = 1 terms of a pair model (``radial_terms`` of its interacting pairs)."""
    pd = pair_data(frame, model)
    return radial_terms(pd.i, pd.j, pd.r, pd.n, model.u(pd.r, pd.p), model.du(pd.r, pd.p), model.d2u(pd.r, pd.p))


def local_terms(frame: Frame, model) -> list[LocalTerms]:
    """The local terms of ``model`` in ``frame`` (pair models built here, others by the model)."""
    if model.is_pair:
        return [pair_local_terms(frame, model)]
    return model.local_terms(frame)


def energy(terms: list[LocalTerms]) -> float:
    return float(sum(np.sum(t.energy) for t in terms))


def forces(terms: list[LocalTerms], n: int, dim: int) -> np.ndarray:
    """F_p = -dE/dx_p (n, dim)."""
    grad_x = np.zeros((n, dim))
    for t in terms:
        a = incidence(t.k)
        for p in range(t.k + 1):
            gp = np.einsum("a,tad->td", a[p], t.grad)
            for d in range(dim):
                grad_x[:, d] += np.bincount(t.atoms[:, p], gp[:, d], n)
    return -grad_x


def _reduce(rows, cols, blocks, n):
    """Sum blocks with equal (row, col): unique keys and the summed (., D, D) blocks."""
    keys = rows.astype(np.int64) * n + cols
    uniq, inv = np.unique(keys, return_inverse=True)
    dim = blocks.shape[-1]
    flat = blocks.reshape(len(blocks), dim * dim)
    out = np.column_stack([np.bincount(inv, flat[:, c], len(uniq)) for c in range(dim * dim)])
    return uniq, out.reshape(len(uniq), dim, dim)


def hessian(terms: list[LocalTerms], n: int, dim: int) -> sp.bsr_matrix:
    """d^2E/dx dx as ``bsr_matrix`` (Dn x Dn, (D, D) blocks), particle order of the frame."""
    keys, blocks = [], []
    for t in terms:
        a = incidence(t.k)
        idx = [(p, q) for p in range(t.k + 1) for q in range(t.k + 1)]
        for s in range(0, len(t.energy), CHUNK):
            h = t.hess[s:s + CHUNK]
            at = t.atoms[s:s + CHUNK]
            hp = (a @ h.transpose(0, 3, 4, 1, 2) @ a.T).transpose(0, 3, 4, 1, 2)   # sum_ab A_pa A_qb h_tab
            rows = np.concatenate([at[:, p] for p, _ in idx])
            cols = np.concatenate([at[:, q] for _, q in idx])
            blk = np.concatenate([hp[:, p, q] for p, q in idx])
            k_, b_ = _reduce(rows, cols, blk, n)
            keys.append(k_)
            blocks.append(b_)
    if not keys:
        return sp.bsr_matrix((dim * n, dim * n), blocksize=(dim, dim))
    k_, b_ = _reduce(np.concatenate(keys) // n, np.concatenate(keys) % n, np.concatenate(blocks), n)
    rows, cols = k_ // n, k_ % n  # sorted by row, then column
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
    return sp.bsr_matrix((b_, cols, indptr), shape=(dim * n, dim * n))


def shear_derivatives(terms: list[LocalTerms], n: int, dim: int, plane: str = "xy"):
    """(d^2E/dgamma^2, Xi (n, dim)) for the affine simple shear x_alpha += gamma x_beta of ``plane``
    (see the module docstring)."""
    try:
        al, be = PLANES[plane]
    except KeyError:
        raise ValueError(f"plane = {plane!r}: allowed {sorted(PLANES)}") from None
    if max(al, be) >= dim:
        raise ValueError(f"plane = {plane!r} needs a {max(al, be) + 1}D system, got {dim}D")
    born = 0.0
    xi = np.zeros((n, dim))
    for t in terms:
        yb = t.bonds[:, :, be]                                   # (T, K)
        born += float(np.einsum("ta,tb,tab->", yb, yb, t.hess[:, :, :, al, al]))
        w = np.einsum("tbac,ta->tbc", t.hess[..., al], yb)     # sum_a (h_tba)[:, alpha] (b_ta)_beta
        w[:, :, be] += t.grad[:, :, al]
        a = incidence(t.k)
        for p in range(t.k + 1):
            wp = np.einsum("b,tbc->tc", a[p], w)
            for d in range(dim):
                xi[:, d] += np.bincount(t.atoms[:, p], wp[:, d], n)
    return born, xi
