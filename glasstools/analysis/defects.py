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
  With a model, ``model_pair_diameter`` gives d_ij exactly as the potential defines it (the
  non-additive d_ij = (d_i + d_j)/2 (1 - 0.2 |d_i - d_j|) of P0's soft spheres).
  Found with scipy.spatial.cKDTree (periodic ``boxsize``), ``analysis.neighbours.pairs``.

D^2_min (Falk & Langer, PRE 57, 7192 (1998), Eq. 2.11-2.14): for particle i and its neighbours j
within ``cutoff`` in the initial configuration, with d0_ij = r_j^0 - r_i^0 and d_ij = r_j - r_i
(minimum image in the initial / final box),
    D^2_min(i) = min_J sum_j |d_ij - J d0_ij|^2,   J = X Y^-1,
    X = sum_j d_ij (x) d0_ij,  Y = sum_j d0_ij (x) d0_ij.
Zero for any affine map (with the box deformed accordingly); NaN when i has fewer than D
neighbours (Y singular).

Pure functions over arrays: positions (N, D), box lengths (D,); ``sample_defects`` takes the two
``Frame``s and the model.
"""
from __future__ import annotations

import numpy as np

from ..configuration import Frame, check_same_particles
from ..geometry import displacements, minimum_image
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


def model_pair_diameter(model, types, diameters=None):
    """``(pair_fn, d_max)`` for ``model``: pair_fn(i, j) -> d_ij as the model defines it
    (``model.pair_length``: harmonic spheres (d_i + d_j)/2, the non-additive polydisperse
    models (d_i + d_j)/2 (1 - eps_na |d_i - d_j|), sigma_ab of LJ mixtures), and
    d_max >= every d_ij (for the neighbour search).
    ``types`` 1-based, ``diameters`` per particle (None for type-based models)."""
    types = np.asarray(types, int)
    d = None if diameters is None else np.asarray(diameters, float)

    def pair_fn(i, j):
        dij = model.pair_length(types[i], types[j], None if d is None else d[i],
                                None if d is None else d[j])
        return np.broadcast_to(np.asarray(dij, float), np.shape(i))

    if d is not None:
        dmax = float(d.max())        # d_ij <= max(d_i, d_j) for additive and eps_na >= 0
    else:
        t = np.unique(types)
        a, b = np.meshgrid(t, t)
        first = {k: int(np.argmax(types == k)) for k in t}
        ia = np.array([first[k] for k in a.ravel()])
        ib = np.array([first[k] for k in b.ravel()])
        dmax = float(np.max(pair_fn(ia, ib)))
    return pair_fn, dmax


def mean_diameter(pair_fn, n: int) -> float:
    """Mean particle diameter (1/N) sum_i d_ii (the length unit of ``d2min_cutoff``)."""
    i = np.arange(n)
    return float(np.mean(pair_fn(i, i)))


def neighbour_pairs(positions, box_len, c: float = DEFAULT_C, diameters=None, types=None,
                    sigma=None, pair_fn=None, dmax: float | None = None) -> set:
    """Set of pairs (i, j), i < j, with r_ij < c d_ij (minimum image). d_ij from ``pair_fn``
    (with its bound ``dmax``, see ``model_pair_diameter``), else from ``diameters`` (additive)
    or ``types`` + ``sigma``."""
    n = len(positions)
    if pair_fn is None:
        rmax = c * _max_diameter(n, diameters, types, sigma)
        fn = lambda i, j: pair_diameter(i, j, diameters, types, sigma)  # noqa: E731
    else:
        if dmax is None:
            raise ValueError("pair_fn needs dmax (an upper bound of d_ij)")
        rmax, fn = c * dmax, pair_fn
    i, j, rij = pairs(positions, box_len, rmax)
    keep = np.linalg.norm(rij, axis=1) < c * fn(i, j)
    return set(zip(i[keep].tolist(), j[keep].tolist()))


def changed_pairs(initial, final, box_len, c: float = DEFAULT_C, c_out: float | None = None,
                  **kw) -> set:
    """Pairs that are neighbours (r_ij < c d_ij) in exactly one of ``initial`` and ``final``.
    With ``c_out`` > c (hysteresis, optional; not P0's definition) a pair counts only if it is
    a neighbour (< c d_ij) in one configuration and beyond c_out d_ij in the other, so that
    vibrations of pairs near the cutoff are not counted as rearrangements."""
    a, b = neighbour_pairs(initial, box_len, c, **kw), neighbour_pairs(final, box_len, c, **kw)
    if c_out is None or c_out == c:
        return a ^ b
    if c_out < c:
        raise ValueError(f"c_out = {c_out} must be >= c = {c}")
    a_out = neighbour_pairs(initial, box_len, c_out, **kw)
    b_out = neighbour_pairs(final, box_len, c_out, **kw)
    return (a - b_out) | (b - a_out)


def neighbour_change(initial, final, box_len, c: float = DEFAULT_C, diameters=None, types=None,
                     sigma=None, pair_fn=None, dmax: float | None = None,
                     c_out: float | None = None) -> np.ndarray:
    """phi_i (int 0/1, length N): 1 if i gains or loses a neighbour between ``initial`` and
    ``final`` (its IS), P0 (``c_out``: optional hysteresis, see ``changed_pairs``)."""
    kw = dict(diameters=diameters, types=types, sigma=sigma, pair_fn=pair_fn, dmax=dmax)
    changed = changed_pairs(initial, final, box_len, c, c_out, **kw)
    phi = np.zeros(len(initial), int)
    if changed:
        ij = np.array(sorted(changed))
        phi[ij.ravel()] = 1
    return phi


def defect_statistics(phi) -> dict:
    """<phi> and chi = N (<phi^2> - <phi>^2) from phi_i of several samples, (n_samples, N) (P0
    Sec. II E, Fig. 4); phi = (1/N) sum_i phi_i per sample and <.> is the mean over samples, so
    chi = N Var_samples(phi) with ddof = 0 as written in P0 (``chi_ddof1`` uses the unbiased
    sample variance, larger by n/(n - 1), which matters for few samples).

    Errors: ``phi_mean_err`` = standard error over samples, std(phi, ddof=1)/sqrt(n);
    ``chi_err`` = jackknife (leave one sample out) error of chi, needs >= 3 samples (NaN
    otherwise). chi is NaN for one sample; ``reason`` says why a value is NaN."""
    phi = np.atleast_2d(np.asarray(phi, float))
    n_samples, n = phi.shape
    per = phi.mean(axis=1)
    out = {"phi_mean": float(per.mean()), "phi_mean_err": np.nan,
           "chi": float(n * (np.mean(per**2) - per.mean() ** 2)), "chi_ddof1": np.nan,
           "chi_err": np.nan, "n_samples": n_samples, "N": n, "reason": ""}
    reasons = []
    if n_samples < 2:
        out["chi"] = np.nan
        reasons.append("chi and errors need at least 2 samples")
    else:
        out["phi_mean_err"] = float(per.std(ddof=1) / np.sqrt(n_samples))
        out["chi_ddof1"] = float(n * per.var(ddof=1))
    if n_samples >= 3:
        jk = np.array([n * np.delete(per, k).var() for k in range(n_samples)])
        out["chi_err"] = float(np.sqrt((n_samples - 1) / n_samples * np.sum((jk - jk.mean()) ** 2)))
    elif n_samples == 2:
        reasons.append("chi_err (jackknife) needs at least 3 samples")
    out["reason"] = "; ".join(reasons)
    return out


def sample_defects(initial: Frame, final: Frame, model, c: float = DEFAULT_C,
                   d2min_cutoff: float = 2.0, c_out: float | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict]:
    """Per-particle defect fields of one sample between its equilibrium configuration
    ``initial`` and its IS ``final`` (``Frame``s of the same particles in the same box): phi_i
    (``neighbour_change``, r_ij < c d_ij with d_ij = ``model.pair_length``), D^2_min(i) with
    neighbourhood radius ``d2min_cutoff`` x mean diameter (``d2min``, Falk-Langer), and the
    displacement vectors dr_i = r_i^IS - r_i^0 (minimum image, (N, D));
    ``c_out``: optional hysteresis of the neighbour change (``changed_pairs``).
    Returns (phi, d2min, dr, info) with info = {"d2min_radius", "mean_diameter",
    "n_pairs_initial", "n_pairs_final", "n_pairs_changed"}."""
    check_same_particles(initial, final)
    pair_fn, dmax = model_pair_diameter(model, initial.types, initial.diameters)
    box_len, x0, x1 = initial.box_len, initial.positions, final.positions
    kw = dict(pair_fn=pair_fn, dmax=dmax)
    before = neighbour_pairs(x0, box_len, c, **kw)
    after = neighbour_pairs(x1, box_len, c, **kw)
    changed = changed_pairs(x0, x1, box_len, c, c_out, **kw)
    n = initial.n
    phi = np.zeros(n, int)
    if changed:
        phi[np.array(sorted(changed)).ravel()] = 1
    dmean = mean_diameter(pair_fn, n)
    radius = d2min_cutoff * dmean
    d2 = d2min(x0, x1, box_len, radius)
    disp = displacements(x0, x1, box_len)
    info = {"d2min_radius": radius, "mean_diameter": dmean, "n_pairs_initial": len(before),
            "n_pairs_final": len(after), "n_pairs_changed": len(changed)}
    return phi, d2, disp, info


def sample_summary(phi, d2, dr) -> dict:
    """One sample's row: phi = (1/N) sum_i phi_i (P0's defect concentration), the number of
    defects, mean and median D^2_min (NaN entries, i.e. < D neighbours, ignored; their count in
    ``n_d2min_nan``), (1/N) sum_i |dr_i|^2 and max_i |dr_i| between the start and its IS."""
    phi = np.asarray(phi)
    d2 = np.asarray(d2, float)
    dr2 = np.sum(np.asarray(dr, float) ** 2, axis=1)
    ok = np.isfinite(d2)
    return {"phi": float(phi.mean()), "n_defects": int(phi.sum()),
            "d2min_mean": float(d2[ok].mean()) if ok.any() else np.nan,
            "d2min_median": float(np.median(d2[ok])) if ok.any() else np.nan,
            "n_d2min_nan": int((~ok).sum()), "msd_to_is": float(dr2.mean()),
            "max_displacement": float(np.sqrt(dr2.max()))}


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
    d1 = minimum_image(r1[j] - r1[i], L1)
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
