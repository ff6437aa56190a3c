"""Figures of clones in a glass basin (P2 Figs. 2, 4, 6), from the clone tables only.

Lengths in units of the mean diameter <d>, times in LJ units, temperatures in epsilon/k_B.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from glasstools.plots.save import save_figure  # noqa: E402


def plot_clone_deltas(curves, path, title: str = "") -> None:
    """P2 Fig. 2: Delta_AB(t_w) (filled) versus t_w and Delta(t_w, t_w + tau) (open) versus tau,
    one colour per clone temperature. ``curves``: [(T, waiting table, lag table), ...]; the
    tables have columns t_w, delta_ab, delta_ab_err and tau, delta, delta_err."""
    fig, ax = plt.subplots(figsize=(5.5, 4), layout="constrained")
    colours = plt.get_cmap("coolwarm")(np.linspace(0, 1, max(len(curves), 2)))
    for (T, w, lag), col in zip(sorted(curves, key=lambda c: c[0]), colours):
        w = w[w["t_w"] > 0]
        ax.errorbar(w["t_w"], w["delta_ab"], w["delta_ab_err"], fmt="o-", ms=4, color=col,
                    label=rf"$\Delta_{{AB}}(t_w)$, $T = {T:g}$")
        ax.errorbar(lag["tau"], lag["delta"], lag["delta_err"], fmt="s--", ms=4, mfc="none", color=col,
                    label=rf"$\Delta(t_w, t_w+\tau)$, $T = {T:g}$")
    ax.set(xscale="log", yscale="log", xlabel=r"$t_w$ or $\tau$", ylabel=r"$\Delta_{AB}$, $\Delta$  $[\langle d\rangle^2]$",
           title=title)
    ax.legend(fontsize=7)
    save_figure(fig, path)


def plot_glass_temperature(table, T_G: float, ratio: float, path, title: str = "") -> None:
    """P2 Fig. 4: Delta_AB(t_w) and Delta(t_w, t_w + tau) versus clone T, and their ratio with the
    threshold ``ratio`` (1.06) that defines T_G (vertical line if found)."""
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(9, 3.8), layout="constrained")
    ax.errorbar(table["T"], table["delta_ab"], table["delta_ab_err"], fmt="o-", label=r"$\Delta_{AB}(t_w)$")
    ax.errorbar(table["T"], table["delta"], table["delta_err"], fmt="s--", mfc="none",
                label=r"$\Delta(t_w, t_w+\tau)$")
    ax.set(xlabel=r"$T$", ylabel=r"$[\langle d\rangle^2]$", yscale="log", title=title)
    ax.legend(fontsize=8)
    ax2.plot(table["T"], table["ratio"], "o-")
    ax2.axhline(ratio, color="k", lw=0.8, ls=":", label=f"ratio {ratio}")
    if np.isfinite(T_G):
        for a in (ax, ax2):
            a.axvline(T_G, color="C3", lw=1, label=rf"$T_G = {T_G:.3g}$")
    ax2.set(xlabel=r"$T$", ylabel=r"$\Delta_{AB} / \Delta$")
    ax2.legend(fontsize=8)
    save_figure(fig, path)


def plot_chi_ab(table, path, title: str = "") -> None:
    """P2 Fig. 6: chi_AB at t_w versus clone T (chi_AB = 1: uncorrelated particle motion)."""
    fig, ax = plt.subplots(figsize=(5, 3.8), layout="constrained")
    ax.plot(table["T"], table["chi_ab"], "o-")
    ax.axhline(1.0, color="k", lw=0.8, ls=":")
    ax.set(xlabel=r"$T$", ylabel=r"$\chi_{AB}(t_w)$", title=title)
    save_figure(fig, path)
