"""Clone and inherent-structure observables of the landscape inside a glass basin (P2).

P2 = Scalliet, Berthier, Zamponi, "Nature of excitations and defects in structural glasses",
Nat. Commun. 10, 5102 (2019): clones A, B of one equilibrium configuration, their inherent structures (IS) and NEB barriers.

Pure functions over arrays. Positions are (N, D) arrays in the same particle order (id order).
``box_len`` (D lengths of an orthogonal periodic box) turns on the minimum-image convention,
d -> d - L round(d/L) (``glasstools.geometry``); pass ``None`` for unwrapped trajectories (MD displacements can exceed L/2).

- Delta_AB = (1/N_b) sum_{i in b} |r_i^A - r_i^B|^2 over the N_b = N/2 largest particles (P2)
- Delta(t_w, t_w + tau): the same between one clone at two times (single-clone MSD)
- chi_AB = N_b (<Delta_AB^2> - <Delta_AB>^2) / (<(Delta_AB^i)^2> - <Delta_AB^i>^2)    (P2)
- P_AB = [sum_{mu,i} (dr_{mu,i})^2]^2 / sum_{mu,i} (dr_{mu,i})^4 between two IS        (P2)
- T_G where Delta_AB = 1.06 Delta (P2), by linear interpolation in T
- average-linkage ordering of the barrier matrix V_AB (P2, scipy.cluster.hierarchy)
"""
from __future__ import annotations

from itertools import combinations
from typing import NamedTuple

import numpy as np

from ..geometry import displacements


class Flagged(NamedTuple):
    """A value that may be undefined: ``value`` is NaN and ``reason`` says why; else reason ''."""

    value: float
    reason: str = ""


def largest_half(diameters):
    """Boolean mask of the N_b = N // 2 particles with the largest diameters (P2's Delta_AB set);
    ties are broken by index (stable sort)."""
    d = np.asarray(diameters, dtype=float)
    order = np.argsort(-d, kind="stable")
    mask = np.zeros(d.size, bool)
    mask[order[: d.size // 2]] = True
    return mask


def per_particle_sq(a, b, box_len=None, subset=None):
    """|r_i^A - r_i^B|^2 for the particles in ``subset`` (mask or indices; None = all)."""
    d2 = np.sum(displacements(a, b, box_len) ** 2, axis=1)
    return d2 if subset is None else d2[subset]


def delta_ab(a, b, box_len=None, subset=None) -> float:
    """Delta_AB = (1/N_b) sum_{i in subset} |r_i^A - r_i^B|^2 (P2); also the IS distance
    (1/N) sum_i |r_i^A - r_i^B|^2 with ``subset=None`` (P0, Delta^0_AB of P2)."""
    return float(np.mean(per_particle_sq(a, b, box_len, subset)))


def single_clone_msd(r_tw, r_tw_tau, box_len=None, subset=None) -> float:
    """Delta(t_w, t_w + tau) = (1/N_b) sum_i |r_i(t_w + tau) - r_i(t_w)|^2 (P2); use unwrapped
    positions and ``box_len=None`` when displacements may exceed half the box."""
    return delta_ab(r_tw, r_tw_tau, box_len, subset)


def clone_pairs(n_clones: int) -> list[tuple[int, int]]:
    """All pairs (A, B), A < B."""
    return list(combinations(range(n_clones), 2))


def pair_matrix(configs, fn, **kwargs):
    """Symmetric matrix M_AB = fn(configs[A], configs[B], **kwargs) over clone pairs; diagonal 0."""
    n = len(configs)
    out = np.zeros((n, n))
    for A, B in clone_pairs(n):
        v = fn(configs[A], configs[B], **kwargs)
        out[A, B] = out[B, A] = v.value if isinstance(v, Flagged) else v
    return out


def delta_ab_pairs(configs, box_len=None, subset=None) -> np.ndarray:
    """Delta_AB for every clone pair A < B of ``configs`` (n_c, N, D); average with ``.mean()``."""
    return np.array([delta_ab(configs[A], configs[B], box_len, subset)
                     for A, B in clone_pairs(len(configs))])


def chi_ab(per_particle) -> Flagged:
    """chi_AB = N_b (<Delta_AB^2> - <Delta_AB>^2) / (<(Delta_AB^i)^2> - <Delta_AB^i>^2) (P2).

    ``per_particle`` is (n_samples, N_b): Delta_AB^i = |r_i^A - r_i^B|^2 for each clone pair /
    sample (rows) and particle (columns); Delta_AB is the row mean. Brackets average over rows
    (and over particles in the denominator). chi_AB = 1 for independent particles.
    """
    x = np.asarray(per_particle, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2:
        return Flagged(np.nan, "need at least 2 samples (rows) of per-particle Delta_AB^i")
    n_b = x.shape[1]
    rows = x.mean(axis=1)
    den = np.mean(x**2) - np.mean(x) ** 2
    if not den > 0:
        return Flagged(np.nan, "per-particle Delta_AB^i has zero variance")
    return Flagged(float(n_b * (np.mean(rows**2) - np.mean(rows) ** 2) / den))


def clone_distances(trajectories, wait_frames, ref_frame: int, lag_frames, subset=None) -> dict:
    """Per-pair and per-clone distances of one sample's clones (P2 Eqs. 2-3), unwrapped positions.

    ``trajectories`` (n_c, F, N, D): the clones' frames on a common time grid. Returns
    ``delta_ab`` (n_wait, n_pairs): Delta_AB at each waiting-time frame for every pair A < B;
    ``delta_ab_i`` (n_pairs, N_b): per-particle |r_i^A - r_i^B|^2 at ``ref_frame`` (t_w, for
    chi_AB); ``delta`` (n_lag, n_c): Delta(t_w, t_w + tau) of each clone between ``ref_frame`` and
    each lag frame. All over the particles in ``subset`` (P2: the N/2 largest)."""
    x = np.asarray(trajectories, dtype=float)
    pairs = clone_pairs(len(x))
    d_ab = np.array([[delta_ab(x[A, f], x[B, f], None, subset) for A, B in pairs] for f in wait_frames])
    d_i = np.array([per_particle_sq(x[A, ref_frame], x[B, ref_frame], None, subset) for A, B in pairs])
    d = np.array([[single_clone_msd(x[c, ref_frame], x[c, f], None, subset) for c in range(len(x))]
                  for f in lag_frames])
    return {"delta_ab": d_ab, "delta_ab_i": d_i, "delta": d}


def _mean_err(values, groups):
    """Mean over all entries and its error: standard error over samples (the ``groups``' means)
    when there are >= 2 samples, else the standard error over the entries (correlated pairs:
    a lower bound)."""
    v = np.asarray(values, float)
    if len(groups) >= 2:
        means = np.array([np.mean(g) for g in groups])
        return float(v.mean()), float(means.std(ddof=1) / np.sqrt(len(means)))
    return float(v.mean()), float(v.std(ddof=1) / np.sqrt(v.size)) if v.size > 1 else float("nan")


def clone_ensemble(samples: list[dict], wait_t, lag_tau):
    """Sample- and pair-averaged Delta_AB(t_w), chi_AB(t_w) and Delta(t_w, t_w + tau) (P2 Figs. 2, 6).

    ``samples``: ``clone_distances`` of each sample (the same time grid). Returns two tables
    (pandas): ``wait`` (t_w, delta_ab, delta_ab_err, n_pairs) and ``lag`` (tau, delta,
    delta_err, n_clones); and chi_AB at the reference frame t_w as a ``Flagged``. chi_AB pools
    the per-particle Delta_AB^i of all pairs of all samples (rows of ``chi_ab``)."""
    import pandas as pd

    wait = []
    for k, t in enumerate(wait_t):
        m, e = _mean_err(np.concatenate([s["delta_ab"][k] for s in samples]), [s["delta_ab"][k] for s in samples])
        wait.append({"t_w": float(t), "delta_ab": m, "delta_ab_err": e,
                     "n_pairs": int(sum(s["delta_ab"].shape[1] for s in samples))})
    lag = []
    for k, tau in enumerate(lag_tau):
        m, e = _mean_err(np.concatenate([s["delta"][k] for s in samples]), [s["delta"][k] for s in samples])
        lag.append({"tau": float(tau), "delta": m, "delta_err": e,
                    "n_clones": int(sum(s["delta"].shape[1] for s in samples))})
    chi = chi_ab(np.vstack([s["delta_ab_i"] for s in samples]))
    return pd.DataFrame(wait), pd.DataFrame(lag), chi


def participation_ab(a, b, box_len=None, atol: float = 1e-12) -> Flagged:
    """P_AB = [sum_{mu,i} (dr_{mu,i})^2]^2 / sum_{mu,i} (dr_{mu,i})^4 between two IS (P2).

    Sums run over particles i and Cartesian components mu (so a single particle moved along
    one axis gives 1, along a cube diagonal 3). If (1/N) sum |dr|^2 <= ``atol`` the two IS are
    the same minimum and P_AB is undefined: NaN with the reason (no division warning).
    """
    d = displacements(a, b, box_len)
    d2 = d**2
    s2 = d2.sum()
    if s2 / len(d) <= atol:
        return Flagged(np.nan, f"same minimum: (1/N) sum |dr|^2 = {s2 / len(d):.3g} <= atol {atol:g}")
    return Flagged(float(s2**2 / np.sum(d2**2)))


def glass_temperature(T, delta_ab_values, delta_values, ratio: float = 1.06) -> Flagged:
    """T_G where Delta_AB(T) = ratio * Delta(T) (P2: ratio 1.06, t_w = 8192, tau = 1e4).

    Linear interpolation of r(T) = Delta_AB / Delta - ratio between the two state points that
    bracket its zero crossing; if several crossings, the highest-T one is returned and the
    reason lists them; no crossing gives NaN.
    """
    T = np.asarray(T, dtype=float)
    r = np.asarray(delta_ab_values, float) / np.asarray(delta_values, float) - ratio
    order = np.argsort(T)
    T, r = T[order], r[order]
    roots = []
    for k in range(len(T) - 1):
        if r[k] == 0:
            roots.append(T[k])
        elif r[k] * r[k + 1] < 0:
            roots.append(T[k] + (T[k + 1] - T[k]) * r[k] / (r[k] - r[k + 1]))
    if len(T) and r[-1] == 0:
        roots.append(T[-1])
    if not roots:
        return Flagged(np.nan, f"Delta_AB/Delta never crosses {ratio} in T = [{T.min()}, {T.max()}]")
    reason = "" if len(roots) == 1 else f"several crossings at T = {sorted(roots)}; highest kept"
    return Flagged(float(max(roots)), reason)


def cluster_order(V, method: str = "average") -> np.ndarray:
    """Leaf order of average-linkage hierarchical clustering of a symmetric distance-like matrix
    V_AB (P2 orders clones by their NEB barriers); diagonal ignored, NaN not allowed."""
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    V = np.asarray(V, dtype=float)
    if V.ndim != 2 or V.shape[0] != V.shape[1]:
        raise ValueError(f"V must be square, got {V.shape}")
    if len(V) < 3:
        return np.arange(len(V))
    V = 0.5 * (V + V.T)
    np.fill_diagonal(V, 0.0)
    if not np.all(np.isfinite(V)):
        raise ValueError("V_AB has non-finite entries (failed NEB?); fill or drop them first")
    return leaves_list(linkage(squareform(V, checks=False), method=method))


def reorder(M, order):
    """Matrix (or vector) permuted to ``order`` along every axis."""
    M = np.asarray(M)
    return M[np.ix_(*(order,) * M.ndim)] if M.ndim > 1 else M[order]


def clone_is_matrices(is_positions, box_len, e_is=None) -> dict:
    """Delta^0_AB = (1/N) sum_i |r_i^{A,0} - r_i^{B,0}|^2 and P_AB between the inherent
    structures of n_c clones (``is_positions`` (n_c, N, D)), P2. P_AB of identical minima is
    NaN; ``p_ab_reasons`` lists them. ``e_is`` (n_c,) is passed through as an array."""
    n = len(is_positions)
    delta0 = pair_matrix(is_positions, delta_ab, box_len=box_len)
    p = np.full((n, n), np.nan)
    reasons = {}
    for A, B in clone_pairs(n):
        f = participation_ab(is_positions[A], is_positions[B], box_len)
        p[A, B] = p[B, A] = f.value
        if f.reason:
            reasons[(A, B)] = f.reason
    out = {"delta0": delta0, "p_ab": p, "p_ab_reasons": reasons}
    if e_is is not None:
        out["e_is"] = np.asarray(e_is, float)
    return out


def distinct_minima(delta0, tol: float) -> np.ndarray:
    """Labels 0..K-1 of the distinct inherent structures among n_c clones: clones are in the
    same minimum when linked by a chain of pairs with Delta0_AB < ``tol`` (connected components,
    scipy.sparse.csgraph); labels in order of first appearance."""
    from scipy.sparse.csgraph import connected_components

    d = np.asarray(delta0, float)
    _, lab = connected_components(d < tol, directed=False)
    _, first = np.unique(lab, return_index=True)
    relabel = np.empty(lab.max() + 1, int)
    relabel[np.argsort(first)] = np.arange(len(first))
    return relabel[lab]


def barrier_matrix(n_clones: int, pairs, barriers) -> np.ndarray:
    """Symmetric V_AB from NEB results: ``pairs`` [(A, B), ...] and their barriers (NaN for
    failed or missing pairs); diagonal 0."""
    V = np.full((n_clones, n_clones), np.nan)
    np.fill_diagonal(V, 0.0)
    for (A, B), v in zip(pairs, barriers):
        V[A, B] = V[B, A] = v
    return V
