"""Distances between the inherent structures that different minimisers reach from one
configuration (P0 Sec. III), and their averages over samples. Pure functions of positions,
energies and tables: the minima come from ``glasstools.lammps.minimise``."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .landscape import delta_ab


def is_distances(results: dict, box_len) -> pd.DataFrame:
    """(1/N) sum_i |r_i^A - r_i^B|^2 (minimum image, P0) and de = E_B - E_A for every pair of
    minimisers; ``results``: name -> object with ``positions`` (N, D) and ``energy``
    (``ISResult``)."""
    names = list(results)
    rows = []
    for a in range(len(names)):
        for b in range(a + 1, len(names)):
            A, B = results[names[a]], results[names[b]]
            rows.append({"a": names[a], "b": names[b],
                         "delta": delta_ab(A.positions, B.positions, box_len),
                         "de": B.energy - A.energy})
    return pd.DataFrame(rows)


def is_distance_averages(dist: pd.DataFrame) -> pd.DataFrame:
    """Per minimiser pair (a, b) over samples: mean and standard error (std ddof = 1 / sqrt(n))
    of delta and de, their medians, the number of samples ``n_samples`` and how many of them
    had both minima converged (``n_both_converged``; ``dist`` needs the boolean columns
    ``converged_a``, ``converged_b``). Non-converged samples are included, not dropped."""
    def agg(g):
        n = len(g)
        sem = (lambda x: float(x.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan)
        return pd.Series({"delta_mean": g["delta"].mean(), "delta_err": sem(g["delta"]),
                          "delta_median": g["delta"].median(), "de_mean": g["de"].mean(),
                          "de_err": sem(g["de"]), "n_samples": n,
                          "n_both_converged": int((g["converged_a"] & g["converged_b"]).sum())})

    return (dist.groupby(["a", "b"], sort=False)[list(dist.columns)].apply(agg)
            .reset_index().astype({"n_samples": int, "n_both_converged": int}))


__all__ = ["is_distance_averages", "is_distances"]
