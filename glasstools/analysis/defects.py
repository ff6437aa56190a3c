"""Defects between a configuration and its inherent structure (P0), and D^2_min (Falk-Langer).

P0 = Nishikawa et al., "Relaxation dynamics in the energy landscape of glass-forming liquids",
PRX 12, 021001 (2022):
- phi_i = 1 if particle i gains or loses a neighbour between the initial configuration and its
  IS, else 0; <phi> (mean over particles and samples) and
  chi = N (<phi^2> - <phi>^2), phi = (1/N) sum_i phi_i of one sample, fluctuations over samples.
- Neighbours: r_ij < c d_ij (minimum image), d_ij the pair diameter ((d_i + d_j)/2 for additive
  diameters, sigma_ab for KA-LJ). c = DEFAULT_C = 1.4, the first minimum of g(r) in units of
  the pair diameter (KA-LJ g_AA: r ~ 1.4-1.5 sigma; soft spheres ~1.4-1.5 d), a common choice;
  ``first_minimum_scaled_gr`` measures it on the data and should be used when it matters.
  Found with scipy.spatial.cKDTree (periodic ``boxsize``), ``analysis.neighbours.pairs``.

D^2_min (Falk & Langer, PRE 57, 7192 (1998), Eq. 2.11-2.14): for particle i and its neighbours j
within ``cutoff`` in the initial configuration, with d0_ij = r_j^0 - r_i^0 and d_ij = r_j - r_i
(minimum image in the initial / final box),
    D^2_min(i) = min_J sum_j |d_ij - J d0_ij|^2,   J = X Y^-1,
    X = sum_j d_ij (x) d0_ij,  Y = sum_j d0_ij (x) d0_ij.
Zero for any affine map (with the box deformed accordingly); NaN when i has fewer than D
neighbours (Y singular).

Pure functions over arrays: positions (N, D), box lengths (D,).
"""
from __future__ import annotations

import numpy as np

from .neighbours import pairs

DEFAULT_C = 1.4


def pair_diameter(i, j, diameters=None, types=None, sigma=None):
    """d_ij for pairs (i, j): additive (d_i + d_j)/2 from ``diameters``, or sigma[t_i-1, t_j-1]."""
    if diameters is not None:
        d = np.asarray(diameters, float)
        return 0.5 * (d[i] + d[j])
    if types is not None and sigma is not None:
        t = np.asarray(types) - 1
        return np.asarray(sigma, float)[t[i], t[j]]
    raise ValueError("give per-particle diameters, or types (1-based) and a sigma matrix")


def _max_diameter(n, diameters, types, sigma):
    if diameters is not None:
        return float(np.max(diameters))
    t = np.unique(np.asarray(types) - 1)
    return float(np.asarray(sigma, float)[np.ix_(t, t)].max())


def neighbour_pairs(positions, box_len, c: float = DEFAULT_C, diameters=None, types=None,
                    sigma=None) -> set:
    """Set of pairs (i, j), i < j, with r_ij < c d_ij (minimum image)."""
    n = len(positions)
    rmax = c * _max_diameter(n, diameters, types, sigma)
    i, j, rij = pairs(positions, box_len, rmax)
    keep = np.linalg.norm(rij, axis=1) < c * pair_diameter(i, j, diameters, types, sigma)
    return set(zip(i[keep].tolist(), j[keep].tolist()))


def neighbour_change(initial, final, box_len, c: float = DEFAULT_C, diameters=None, types=None,
                     sigma=None) -> np.ndarray:
    """phi_i (int 0/1, length N): 1 if i gains or loses a neighbour between ``initial`` and
    ``final`` (its IS), P0."""
    kw = dict(c=c, diameters=diameters, types=types, sigma=sigma)
    changed = neighbour_pairs(initial, box_len, **kw) ^ neighbour_pairs(final, box_len, **kw)
    phi = np.zeros(len(initial), int)
    if changed:
        ij = np.array(sorted(changed))
        phi[ij.ravel()] = 1
    return phi


def defect_statistics(phi) -> dict:
    """<phi> and chi = N (<phi^2> - <phi>^2) from phi_i of several samples, (n_samples, N) (P0);
    phi = (1/N) sum_i phi_i per sample; the variance is over samples (ddof = 0)."""
    phi = np.atleast_2d(np.asarray(phi, float))
    n_samples, n = phi.shape
    per = phi.mean(axis=1)
    out = {"phi_mean": float(per.mean()), "chi": float(n * (np.mean(per**2) - per.mean() ** 2)),
           "n_samples": n_samples, "N": n}
    if n_samples < 2:
        out["chi"] = np.nan
        out["reason"] = "chi needs at least 2 samples"
    return out


def first_minimum_scaled_gr(positions, box_len, diameters=None, types=None, sigma=None,
                            rmax: float = 2.0, bins: int = 200, smooth: float = 0.1) -> float:
    """First minimum after the main peak of the pair distribution of r_ij / d_ij (the scale of
    ``DEFAULT_C``); histogram divided by the ideal-gas shell volume r^(D-1), running mean over
    ``smooth`` (in units of d_ij). Noisy for one small sample: pool samples (concatenate)."""
    pos = np.asarray(positions, float)
    box_len = np.asarray(box_len, float)
    dmax = _max_diameter(len(pos), diameters, types, sigma)
    cut = min(rmax * dmax, 0.499 * box_len.min())
    i, j, rij = pairs(pos, box_len, cut)
    x = np.linalg.norm(rij, axis=1) / pair_diameter(i, j, diameters, types, sigma)
    h, edges = np.histogram(x, bins=bins, range=(0.0, rmax))
    mid = 0.5 * (edges[1:] + edges[:-1])
    g = h / np.maximum(mid, 1e-12) ** (pos.shape[1] - 1)
    w = max(1, int(round(smooth / (rmax / bins))))
    g = np.convolve(g, np.ones(w) / w, mode="same")
    # first peak: maximum of the first region where g >= max/2; first minimum: lowest g between
    # it and the next region where g >= max/2 (centre of a flat bottom)
    high = g >= 0.5 * g.max()
    start = int(np.argmax(high))
    end = start + int(np.argmax(~high[start:])) if (~high[start:]).any() else len(g)
    nxt = end + int(np.argmax(high[end:])) if high[end:].any() else len(g)
    if end >= len(g):
        raise ValueError("no first minimum of g(r) below rmax; increase rmax")
    seg = g[end:nxt]
    flat = np.flatnonzero(seg == seg.min())
    k = end + int(flat[len(flat) // 2])
    return float(mid[k])


def d2min(initial, final, box_len, cutoff: float, box_len_final=None) -> np.ndarray:
    """Falk-Langer D^2_min of every particle between ``initial`` and ``final`` (see module
    docstring); neighbours within ``cutoff`` in ``initial`` (minimum image, cKDTree)."""
    r0 = np.asarray(initial, float)
    r1 = np.asarray(final, float)
    box_len = np.asarray(box_len, float)
    L1 = box_len if box_len_final is None else np.asarray(box_len_final, float)
    n, dim = r0.shape
    i, j, d0 = pairs(r0, box_len, cutoff)
    d1 = r1[j] - r1[i]
    d1 -= L1 * np.round(d1 / L1)
    # both directions: for i the vectors r_j - r_i, for j the vectors r_i - r_j
    a = np.concatenate([i, j])
    D0 = np.concatenate([d0, -d0])
    D1 = np.concatenate([d1, -d1])
    X = np.zeros((n, dim, dim))
    Y = np.zeros((n, dim, dim))
    np.add.at(X, a, D1[:, :, None] * D0[:, None, :])
    np.add.at(Y, a, D0[:, :, None] * D0[:, None, :])
    count = np.bincount(a, minlength=n)
    ok = (count >= dim) & (np.abs(np.linalg.det(Y)) > 1e-12 * np.maximum(
        np.einsum("kii->k", Y), 1e-300) ** dim)
    J = np.full((n, dim, dim), np.nan)
    J[ok] = X[ok] @ np.linalg.inv(Y[ok])
    res = D1 - np.einsum("kab,kb->ka", J[a], D0)
    out = np.zeros(n)
    np.add.at(out, a, np.sum(res**2, axis=1))
    out[~ok] = np.nan
    return out
