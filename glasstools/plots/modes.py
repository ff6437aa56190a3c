"""Figures of instantaneous normal modes along steepest descent (P1 Figs. 5-6), tables only.

Reduced LJ units: eigenvalues lambda of the Hessian in epsilon/sigma^2 (m = 1).
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from glasstools.plots.save import save_figure  # noqa: E402

LAM_LABEL = r"$\lambda$  $[\epsilon/\sigma^2]$"


def plot_unstable_spectra(spectra, path, title: str = "KA-LJ") -> None:
    """Unstable part (lambda < 0) of D(lambda) at several fixed W (P1 Fig. 5).

    ``spectra`` columns: ``logW_target, lam, density`` (one curve per logW_target, D(lambda)
    normalised over all DN - D modes, so its integral over lambda < 0 is f_u, P1 Eq. 5); if it
    also has a column ``P`` (mean participation ratio in the bin), a second panel shows P vs
    lambda over the whole spectrum (stable modes included).  ``title`` should name model, N and T.
    """
    neg = spectra[spectra["lam"] < 0]
    has_p = "P" in spectra.columns
    fig, axes = plt.subplots(1, 2 if has_p else 1, figsize=(9 if has_p else 5, 4), squeeze=False,
                             layout="constrained")
    levels = sorted(neg["logW_target"].unique(), reverse=True)
    colors = plt.cm.viridis(np.linspace(0, 1, max(len(levels), 1)))
    for color, lw in zip(colors, levels):
        d = neg[neg["logW_target"] == lw].sort_values("lam")
        label = rf"$\log_{{10}}W={lw:g}$"
        axes[0, 0].plot(d["lam"], d["density"], "-", color=color, label=label)
        if has_p:
            a = spectra[spectra["logW_target"] == lw].sort_values("lam")
            axes[0, 1].plot(a["lam"], a["P"], "o-", ms=3, color=color, label=label)
    axes[0, 0].set(yscale="log", xlabel=LAM_LABEL, ylabel=r"$D(\lambda)$, $\lambda<0$",
                   title=title)
    axes[0, 0].legend(fontsize=7)
    if has_p:
        axes[0, 1].set(yscale="log", xlabel=LAM_LABEL, ylabel=r"participation ratio $P$",
                       title=title)
    save_figure(fig, path)
