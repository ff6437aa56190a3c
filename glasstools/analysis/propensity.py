"""Isoconfigurational propensity and its rank correlation with the local dipole stiffness (P4).

P4 (Kapteijns et al., JCP 155, 074502 (2021)) Sec. III B and Figs. 6-7:

* Isoconfigurational ensemble (Widmer-Cooper, Harrowell, Fynewever, PRL 93, 135701 (2004)):
  ``runs`` MD runs from one configuration, each with fresh Maxwell-Boltzmann velocities; the
  mobility of particle i is its isoconfigurational average displacement after t = tau_alpha/10,

      mu_i = < |r_i(t) - r_i(0)| >_runs          (``kind="abs"``, P4's wording)
      mu_i = < |r_i(t) - r_i(0)|^2 >_runs        (``kind="squared"``, the propensity of Widmer-Cooper et al.)

* Extremes (P4 App. C): among the large particles, those that are the most (least) mobile
  within a sphere of radius r_cut (P4: the large-large cutoff), i.e. local maxima (minima) of mu;
  of those the ``n`` most (least) mobile.
* Rank correlation (P4 Fig. 7): per species, the Spearman coefficient C_s between 1/kappa_i (the
  local dipole stiffness of the IS, P4 App. A) and mu_i (``scipy.stats.spearmanr``; ranking within
  a species, so P4's normalisation of ranks to [0, 1] does not change it); P4 reports the
  ensemble average of the species-averaged C_s (sticky spheres: 0.13, 0.18, 0.43 at rho = 0.6,
  0.7, 0.95).
"""
from __future__ import annotations

import numpy as np
from scipy.stats import spearmanr

from .neighbours import pairs_within

KINDS = ("abs", "squared")


def mobility(start, finals, kind: str = "abs") -> np.ndarray:
    """mu_i over the runs: ``start`` (N, D) unwrapped positions at t = 0 (the same for every run),
    ``finals`` (runs, N, D) unwrapped positions at t of each run (module docstring)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    start, finals = np.asarray(start, float), np.asarray(finals, float)
    if finals.ndim != 3 or finals.shape[1:] != start.shape:
        raise ValueError(f"finals must have shape (runs, {start.shape[0]}, {start.shape[1]}), got {finals.shape}")
    d2 = ((finals - start[None]) ** 2).sum(axis=-1)
    return (np.sqrt(d2) if kind == "abs" else d2).mean(axis=0)


def mobility_extremes(mu, positions, box_len, select, radius: float, n: int = 5):
    """(most, least): indices of the ``n`` most mobile local maxima and the ``n`` least mobile
    local minima of ``mu`` among the ``select``-ed particles, neighbourhoods = selected particles
    within ``radius`` < L/2 (minimum image; pairs from the k-d tree of ``analysis.neighbours``)."""
    mu = np.asarray(mu, float)
    idx = np.flatnonzero(np.asarray(select, bool))
    if len(idx) == 0:
        raise ValueError("the selection is empty")
    box_len = np.asarray(box_len, float)
    if not 0 < 2.0 * radius < box_len.min():
        raise ValueError(f"radius = {radius}: need 0 < radius < L/2 = {box_len.min() / 2:.6g} (smallest box side)")
    x = np.asarray(positions, float)[idx]
    i, j, _, _ = pairs_within(x, box_len, radius)
    m = mu[idx]
    big, small = m.copy(), m.copy()                    # a neighbourhood includes the particle itself
    for a, b in ((i, j), (j, i)):
        np.maximum.at(big, a, m[b])
        np.minimum.at(small, a, m[b])
    maxima, minima = idx[m >= big], idx[m <= small]
    most = maxima[np.argsort(-mu[maxima], kind="stable")][:n]
    least = minima[np.argsort(mu[minima], kind="stable")][:n]
    return most, least


def spearman_by_species(inverse_kappa, mu, types) -> dict[int, float]:
    """{type: Spearman C_s(1/kappa_i, mu_i) over the particles of that type} (P4 Fig. 7); NaN for a
    species with fewer than three particles or a constant field."""
    inverse_kappa, mu, types = (np.asarray(v) for v in (inverse_kappa, mu, types))
    if not inverse_kappa.shape == mu.shape == types.shape:
        raise ValueError("inverse_kappa, mu and types must have the same shape (N,)")
    out = {}
    for t in np.unique(types):
        sel = types == t
        a, b = inverse_kappa[sel], mu[sel]
        ok = sel.sum() >= 3 and np.ptp(a) > 0 and np.ptp(b) > 0
        out[int(t)] = float(spearmanr(a, b).statistic) if ok else float("nan")
    return out
