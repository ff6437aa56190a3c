"""Finite-size scaling of participation ratios and the mobility edge of unstable modes.

Source: Shimada et al. 2024 (P1), Sec. III B, Figs. 6-7 and App. B; SCIENCE.md Sec. 3.
N <P>_lambda is the number of particles taking part in the modes near lambda: independent of
the linear size L for localised modes, growing at least like L for delocalised ones. The
mobility edge lambda_e is the fixed point of N <P>_lambda / L ~ N^{2/3} <P>_lambda under changes
of N: below lambda_e (more negative) the curve of the larger system lies below, above it lies
above. lambda_e(W) = mean of the crossings of all pairs of sizes, error bar = min/max of them.

What happens when curves do not cross (``status``): "localised" if, for every pair, the larger
system lies below over the whole unstable band (lambda_e >= the largest binned lambda, so at
most 0: phonons are always delocalised); "delocalised" if it lies above everywhere
(lambda_e below the band); "mixed" if pairs disagree. Only bins with >= ``min_count`` modes in
both sizes are compared. When a pair's difference changes sign several times (noise), the
upward crossing at the largest lambda is taken (the band near 0 holds most modes) and the
number of sign changes is reported.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd


def lambda_edges(lam, bins: int, spacing: str = "quantile", lam_quantile: float = 0.01) -> np.ndarray:
    """Bin edges on the unstable band [min, 0] of the pooled eigenvalues ``lam`` (< 0).

    ``spacing='quantile'``: equal-count bins of the pooled lambda (the density of unstable
    modes falls by orders of magnitude towards its tail, so linear bins there hold a mode or
    two); ``'linear'``: equal widths from the ``lam_quantile`` quantile up to 0, the first bin also
    taking the modes below. Ties (repeated quantiles) are merged, so there may be fewer bins.
    """
    lam = np.asarray(lam, float)
    if spacing == "quantile":
        edges = np.quantile(lam, np.linspace(0.0, 1.0, bins + 1))
        edges[-1] = 0.0
        return np.unique(edges)
    if spacing == "linear":
        return np.linspace(float(np.quantile(lam, lam_quantile)), 0.0, bins + 1)
    raise ValueError(f"spacing must be 'quantile' or 'linear', got {spacing!r}")


def binned_participation(modes: pd.DataFrame, bins: int = 20, spacing: str = "quantile",
                         lam_quantile: float = 0.01) -> pd.DataFrame:
    """<P>_lambda per (N, logW_target) on lambda bins shared by all N at each W.

    ``modes``: rows (N, logW_target, lam, pr) of unstable modes pooled over samples; edges from
    ``lambda_edges`` of the lambda pooled over all N at that W. Columns: N, logW_target, lam
    (mean lambda of the bin's modes pooled over all N, shared by the sizes; the midpoint of an
    empty bin), lam_lo, lam_hi, P (mean), P_err (std/sqrt(count)), count, scaled (N^{2/3} P).
    """
    out = []
    for lw, grp in modes.groupby("logW_target"):
        grp = grp[grp["lam"] < 0]
        if not len(grp):
            continue
        edges = lambda_edges(grp["lam"], bins, spacing, lam_quantile)  # >= 2 edges: [min, 0]
        bins_w = len(edges) - 1
        which = lambda lam: np.clip(np.searchsorted(edges, lam, side="right") - 1, 0, bins_w - 1)  # noqa: E731
        pooled = which(grp["lam"].to_numpy())
        n_pool = np.bincount(pooled, minlength=bins_w)
        with np.errstate(invalid="ignore", divide="ignore"):
            centre = np.where(n_pool > 0, np.bincount(pooled, grp["lam"].to_numpy(), bins_w) / n_pool,
                              0.5 * (edges[:-1] + edges[1:]))
        for n, g in grp.groupby("N"):
            idx = which(g["lam"].to_numpy())
            pr = g["pr"].to_numpy()
            count = np.bincount(idx, minlength=bins_w)
            s1 = np.bincount(idx, pr, bins_w)
            s2 = np.bincount(idx, pr * pr, bins_w)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = s1 / count
                err = np.sqrt(np.maximum(s2 / count - mean**2, 0.0) / count)
            out.append(pd.DataFrame({"N": int(n), "logW_target": lw, "lam": centre,
                                     "lam_lo": edges[:-1], "lam_hi": edges[1:], "P": mean, "P_err": err,
                                     "count": count, "scaled": n ** (2.0 / 3.0) * mean}))
    cols = ["N", "logW_target", "lam", "lam_lo", "lam_hi", "P", "P_err", "count", "scaled"]
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=cols)


def pair_crossing(lam, small, large):
    """Upward crossing of (large - small) on a common lambda grid.

    Returns (lambda_cross or NaN, sign_changes, status) with status "crossed", "localised"
    (large below everywhere) or "delocalised" (large above everywhere).
    """
    diff = np.asarray(large, float) - np.asarray(small, float)
    lam = np.asarray(lam, float)
    s = np.sign(diff)
    changes = np.flatnonzero(s[1:] != s[:-1])
    ups = [k for k in changes if s[k] < 0 < s[k + 1]]
    if not ups:
        return np.nan, len(changes), ("localised" if np.mean(s < 0) >= 0.5 else "delocalised")
    k = ups[-1]
    x = lam[k] - diff[k] * (lam[k + 1] - lam[k]) / (diff[k + 1] - diff[k])
    return float(x), len(changes), "crossed"


def mobility_edge(binned: pd.DataFrame, min_count: int = 5) -> pd.DataFrame:
    """lambda_e per logW_target from every pair of sizes in ``binned`` (see module docstring).

    Columns: logW_target, lambda_e, lambda_e_lo, lambda_e_hi, n_pairs, n_crossed, status, pairs
    (a string "N1-N2:value" per pair for the record).
    """
    rows = []
    for lw, grp in binned.groupby("logW_target"):
        sizes = sorted(grp["N"].unique())
        crosses, statuses, record = [], [], []
        for a, b in combinations(sizes, 2):
            ga = grp[grp["N"] == a].set_index("lam")
            gb = grp[grp["N"] == b].set_index("lam")
            ok = ga.index[(ga["count"] >= min_count) & (gb.reindex(ga.index)["count"] >= min_count)]
            if len(ok) < 2:
                statuses.append("too_few_modes")
                record.append(f"{a}-{b}:too_few_modes")
                continue
            x, _, status = pair_crossing(ok, ga.loc[ok, "scaled"], gb.loc[ok, "scaled"])
            statuses.append(status)
            record.append(f"{a}-{b}:{x:.6g}" if status == "crossed" else f"{a}-{b}:{status}")
            if status == "crossed":
                crosses.append(x)
        known = [s for s in statuses if s != "too_few_modes"]
        status = ("crossed" if crosses else known[0] if known and len(set(known)) == 1
                  else "mixed" if known else "too_few_modes")
        rows.append({"logW_target": lw,
                     "lambda_e": float(np.mean(crosses)) if crosses else np.nan,
                     "lambda_e_lo": float(np.min(crosses)) if crosses else np.nan,
                     "lambda_e_hi": float(np.max(crosses)) if crosses else np.nan,
                     "n_pairs": len(statuses), "n_crossed": len(crosses), "status": status,
                     "pairs": "; ".join(record)})
    return pd.DataFrame(rows, columns=["logW_target", "lambda_e", "lambda_e_lo", "lambda_e_hi",
                                       "n_pairs", "n_crossed", "status", "pairs"])
