"""Unstable part of the INM spectrum D(lambda) pooled over samples at fixed W (P1 Sec. III B)."""
from __future__ import annotations

import numpy as np
import pandas as pd


def unstable_spectrum(modes: pd.DataFrame, n_modes_total, bins: int = 40) -> pd.DataFrame:
    """D(lambda) for lambda < 0 per fixed-W level, normalised so that sum D dlambda = <f_u>.

    ``modes``: rows (sample, logW_target, lam, pr) of unstable modes; ``n_modes_total``:
    per logW_target, the number of modes (DN - D) summed over the samples of that level.
    Bins are logarithmic in |lambda| (the unstable band shrinks by decades as W -> 0);
    D = count / (n_modes_total * bin width in lambda). ``P`` is the mean participation
    ratio of the modes in a bin. Columns: logW_target, lam (geometric bin centre, negative),
    lam_lo, lam_hi, density, P, count.
    """
    out = []
    n_modes_total = pd.Series(n_modes_total)
    for lw, grp in modes.groupby("logW_target"):
        a = -grp["lam"].to_numpy()
        if len(a) == 0:
            continue
        lo, hi = np.log10(a.min()), np.log10(a.max())
        edges = np.logspace(lo - 1e-9, hi + 1e-9, bins + 1) if hi > lo else np.array([a.min() * 0.9, a.max() * 1.1])
        idx = np.clip(np.searchsorted(edges, a, side="right") - 1, 0, len(edges) - 2)
        count = np.bincount(idx, minlength=len(edges) - 1)
        pr_sum = np.bincount(idx, weights=grp["pr"].to_numpy(), minlength=len(edges) - 1)
        width = np.diff(edges)
        with np.errstate(invalid="ignore", divide="ignore"):
            out.append(pd.DataFrame({
                "logW_target": lw, "lam": -np.sqrt(edges[:-1] * edges[1:]), "lam_lo": -edges[1:],
                "lam_hi": -edges[:-1], "density": count / (n_modes_total[lw] * width),
                "P": np.where(count > 0, pr_sum / count, np.nan), "count": count}))
    cols = ["logW_target", "lam", "lam_lo", "lam_hi", "density", "P", "count"]
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=cols)
