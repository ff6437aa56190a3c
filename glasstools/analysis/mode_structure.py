"""Spatial structure of one normal mode: decay profile, local harmonic energies, energy profile.

Source: Shimada et al. 2024 (P1), Sec. III C and App. C-D; SCIENCE.md Sec. 3. A mode is a unit
vector e (DN components, particle-major) of the Hessian of a configuration; e_i is particle
i's D-vector, distances are minimum-image in the orthogonal periodic box.

* Decay profile (P1 Eq. C1): d(r) = median of |e_i| over particles at distance
  |r_i - r_d| in [r - dr/2, r + dr/2] from the particle d with the largest |e_i|; r = dr, 2 dr, ...
  (so the core itself, at r = 0, is excluded).
* Far-field fit (P1 Eq. 12): d(r) = A (1/r^2 + 1/(xi r)) exp(-r/xi) over a window of r.
* Local harmonic energy (P1 Eq. C2): dE_i = (1/2) sum_j [U''(r_ij) (n_ij . e_ij)^2
  + (U'(r_ij)/r_ij) (|e_ij|^2 - (n_ij . e_ij)^2)], e_ij = e_i - e_j. Each pair's term q_ij is
  split equally between i and j, so sum_i dE_i = sum_pairs q_ij = e . M e (= lambda for an
  eigenvector: the sum rule).
* Energy profile (P1 Eq. C3): Lambda(r) = sum_{i: |r_i - r_e| < r} dE_i around the particle e
  with the most negative dE_i; Lambda_min = min_r Lambda(r); Lambda(r -> inf) = e . M e.
* Single-core check (P1 App. D): the k most negative dE_i and their distances from particle e.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import curve_fit

from ..geometry import distances_from
from .hessian import pair_data


def _as_particle_vectors(mode, n_atoms: int) -> np.ndarray:
    e = np.asarray(mode, dtype=float)
    if e.size % n_atoms:
        raise ValueError(f"mode has {e.size} components, not a multiple of N = {n_atoms}")
    return e.reshape(n_atoms, -1)


def decay_profile(mode, positions, box_len, dr: float, r_max: float | None = None):
    """(r, d(r), counts) of P1 Eq. C1; r = dr, 2 dr, ... <= r_max (default: half the box).

    Bins without particles give NaN.
    """
    pos = np.asarray(positions, dtype=float)
    e = _as_particle_vectors(mode, len(pos))
    norm = np.linalg.norm(e, axis=1)
    dist = distances_from(pos, box_len, int(np.argmax(norm)))
    r_max = 0.5 * float(np.min(box_len)) if r_max is None else float(r_max)
    r = dr * np.arange(1, int(np.floor(r_max / dr + 1e-9)) + 1)
    k = np.floor(dist / dr + 0.5).astype(int)  # bin k holds [k dr - dr/2, k dr + dr/2)
    d = np.full(len(r), np.nan)
    counts = np.zeros(len(r), dtype=int)
    order = np.argsort(k, kind="stable")
    ks, vals = k[order], norm[order]
    for b in range(1, len(r) + 1):
        lo, hi = np.searchsorted(ks, [b, b + 1])
        counts[b - 1] = hi - lo
        if hi > lo:
            d[b - 1] = np.median(vals[lo:hi])
    return r, d, counts


def decay_model(r, amplitude, xi):
    """P1 Eq. 12: A (1/r^2 + 1/(xi r)) exp(-r/xi)."""
    return amplitude * (1.0 / r**2 + 1.0 / (xi * r)) * np.exp(-r / xi)


def fit_correlation_length(r, d, window, xi_max: float = 1e4):
    """Least-squares fit of ln d(r) to ln of ``decay_model`` over r in ``window`` = (lo, hi).

    Returns dict(xi, xi_err, amplitude, n_points, at_bound): xi_err from the fit covariance;
    ``at_bound`` flags xi within 1 % of ``xi_max`` (a profile indistinguishable from 1/r^2 there).
    Fewer than 3 finite positive points in the window give NaN.
    """
    r, d = np.asarray(r, float), np.asarray(d, float)
    sel = (r >= window[0]) & (r <= window[1]) & np.isfinite(d) & (d > 0)
    out = {"xi": np.nan, "xi_err": np.nan, "amplitude": np.nan, "n_points": int(sel.sum()), "at_bound": False}
    if sel.sum() < 3:
        return out
    x, y = r[sel], np.log(d[sel])

    def f(x, ln_a, ln_xi):
        return np.log(decay_model(x, np.exp(ln_a), np.exp(ln_xi)))

    xi0 = 0.5 * (window[0] + window[1])
    p0 = (float(np.mean(y - f(x, 0.0, np.log(xi0)))), np.log(xi0))
    popt, pcov = curve_fit(f, x, y, p0=p0, bounds=([-np.inf, np.log(1e-3)], [np.inf, np.log(xi_max)]))
    xi = float(np.exp(popt[1]))
    err = float(xi * np.sqrt(pcov[1, 1])) if np.isfinite(pcov[1, 1]) else np.nan
    out.update(xi=xi, xi_err=err, amplitude=float(np.exp(popt[0])),
               at_bound=bool(xi > 0.99 * xi_max))
    return out


def local_harmonic_energies(mode, frame, model) -> np.ndarray:
    """dE_i of P1 Eq. C2 for every particle of ``frame`` (a ``Frame``); sum_i dE_i = e . M e.

    Each pair's harmonic energy e_ij^T K_ij e_ij (e_ij = e_i - e_j) is split equally between i
    and j, so the decomposition needs a pair model (``model.is_pair``)."""
    if not model.is_pair:
        raise NotImplementedError(f"local harmonic energies (P1 Eq. C2) split pair terms; model "
                                  f"{model.name} is not a pair model")
    n_atoms = frame.n
    e = _as_particle_vectors(mode, n_atoms)
    i, j, r, n, p = pair_data(frame, model)
    eij = e[i] - e[j]
    ne2 = np.einsum("pd,pd->p", n, eij) ** 2
    q = model.d2u(r, p) * ne2 + model.du(r, p) / r * (np.einsum("pd,pd->p", eij, eij) - ne2)
    return 0.5 * (np.bincount(i, q, n_atoms) + np.bincount(j, q, n_atoms))


def energy_profile(local_energies, positions, box_len, r):
    """Lambda(r) of P1 Eq. C3 at the radii ``r``, plus (Lambda_min, r at Lambda_min, core index).

    Lambda_min is the minimum over every radius (the partial sums over particles sorted by
    distance), not only over the grid ``r``.
    """
    de = np.asarray(local_energies, dtype=float)
    core = int(np.argmin(de))
    dist = distances_from(positions, box_len, core)
    order = np.argsort(dist, kind="stable")
    cum = np.cumsum(de[order])
    ds = dist[order]
    idx = np.searchsorted(ds, np.asarray(r, dtype=float), side="left")  # particles with dist < r
    prof = np.where(idx > 0, cum[np.maximum(idx - 1, 0)], 0.0)
    # a radius includes all particles at the same distance: take the last of equal distances
    last = np.flatnonzero(np.append(ds[1:] != ds[:-1], True))
    k = last[np.argmin(cum[last])]
    return prof, float(cum[k]), float(ds[k]), core


def core_energies(local_energies, positions, box_len, k: int = 10):
    """(dE sorted ascending, distance from the most negative particle) for the k lowest dE_i."""
    de = np.asarray(local_energies, dtype=float)
    order = np.argsort(de, kind="stable")[:k]
    return de[order], distances_from(positions, box_len, int(order[0]))[order]


# --- ensemble statistics over samples at fixed W (P1 Figs. 8-12 and 19) -----------------------

def profile_averages(profiles):
    """Sample means of d(r) and Lambda(r) per (logW_target, r) with standard errors.

    ``profiles`` rows: (sample, logW_target, r, d, Lambda). Columns out: logW_target, r, d, d_err,
    Lambda, Lambda_err, n_samples (samples with a finite d in that shell).
    """
    g = profiles.groupby(["logW_target", "r"])
    out = g.agg(d=("d", "mean"), d_sd=("d", "std"), n_samples=("d", "count"),
                Lambda=("Lambda", "mean"), Lambda_sd=("Lambda", "std"), n=("Lambda", "count")).reset_index()
    out["d_err"] = out["d_sd"] / np.sqrt(out["n_samples"])
    out["Lambda_err"] = out["Lambda_sd"] / np.sqrt(out["n"])
    return out[["logW_target", "r", "d", "d_err", "Lambda", "Lambda_err", "n_samples"]]


def correlation_lengths(profiles, window, n_boot: int = 200, seed: int = 0):
    """xi(W) from the sample-mean decay profile (``fit_correlation_length`` over ``window``).

    Error: standard deviation of xi over ``n_boot`` bootstrap resamples of the samples
    (``xi_err``), next to the fit-covariance error of the mean profile (``xi_err_fit``).
    """
    rng = np.random.default_rng(seed)
    rows = []
    for lw, grp in profiles.groupby("logW_target"):
        table = grp.pivot_table(index="sample", columns="r", values="d")
        r, d = table.columns.to_numpy(dtype=float), table.to_numpy()
        mean = np.nanmean(d, axis=0)
        fit = fit_correlation_length(r, mean, window)
        boots, fitted = [], {}
        for _ in range(n_boot if len(table) > 1 else 0):
            pick = d[rng.integers(0, len(table), len(table))]
            boot_mean = np.nanmean(pick, axis=0)
            # the fit is a function of the mean profile alone: with few samples most resamples
            # repeat one drawn before (2 samples: 3 distinct means), so each distinct mean is fitted once
            key = boot_mean.tobytes()
            if key not in fitted:
                fitted[key] = fit_correlation_length(r, boot_mean, window)["xi"]
            b = fitted[key]
            if np.isfinite(b):
                boots.append(b)
        rows.append({"logW_target": lw, "xi": fit["xi"], "xi_err": float(np.std(boots)) if boots else np.nan,
                     "xi_err_fit": fit["xi_err"], "amplitude": fit["amplitude"], "at_bound": fit["at_bound"],
                     "n_points": fit["n_points"], "n_samples": len(table),
                     "window_lo": float(window[0]), "window_hi": float(window[1])})
    return pd.DataFrame(rows)


def core_energy_distribution(summary, bins: int = 15):
    """Empirical CDF and histogram PDF of Lambda_min per logW_target (P1 Figs. 11-12).

    ``summary`` rows: (logW_target, Lambda_min). Columns out: logW_target, kind ("cdf" or
    "pdf"), x, y; the CDF is P(Lambda_min <= x) at every sorted value, free of binning.
    """
    out = []
    for lw, grp in summary.groupby("logW_target"):
        x = np.sort(grp["Lambda_min"].dropna().to_numpy())
        if len(x) == 0:
            continue
        out.append(pd.DataFrame({"logW_target": lw, "kind": "cdf", "x": x, "y": np.arange(1, len(x) + 1) / len(x)}))
        dens, edges = np.histogram(x, bins=min(bins, max(len(x) // 2, 1)), density=True)
        out.append(pd.DataFrame({"logW_target": lw, "kind": "pdf", "x": 0.5 * (edges[1:] + edges[:-1]), "y": dens}))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=["logW_target", "kind", "x", "y"])


def core_statistics(cores):
    """P1 App. D: mean and standard deviation of dE and of the distance from the core, per
    (logW_target, rank) of the most negative local energies. ``cores`` rows: (sample,
    logW_target, rank, dE, r)."""
    return (cores.groupby(["logW_target", "rank"])
            .agg(dE=("dE", "mean"), dE_sd=("dE", "std"), r=("r", "mean"), r_sd=("r", "std"),
                 n_samples=("dE", "count")).reset_index())
