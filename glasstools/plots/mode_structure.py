"""Figures of the most unstable mode and of the mobility edge (P1 Figs. 6-12 and 19), tables only.

Inputs are the DataFrames of ``glasstools.analysis.mode_structure`` and
``glasstools.analysis.mobility_edge``. Reduced LJ units: r in sigma, lambda, dE and Lambda in
epsilon/sigma^2 (m = 1), W in (epsilon/sigma)^2.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402

from glasstools.analysis.mode_structure import decay_model  # noqa: E402
from glasstools.plots.modes import LAM_LABEL  # noqa: E402
from glasstools.plots.relaxation import W_LABEL  # noqa: E402
from glasstools.plots.save import save_figure  # noqa: E402

R_LABEL = r"distance from the core $r$  $[\sigma]$"


def _levels(df, col="logW_target"):
    levels = sorted(df[col].unique(), reverse=True)
    return list(zip(levels, plt.cm.viridis(np.linspace(0, 1, max(len(levels), 1)))))


def _wlabel(lw):
    return rf"$\log_{{10}}W={lw:g}$"


def plot_decay_profiles(profiles, xi, path, title: str = "") -> None:
    """d(r) of the most unstable mode per W (log-log) with the Eq. 12 fits (P1 Fig. 8)."""
    fig, ax = plt.subplots(figsize=(5, 4), layout="constrained")
    fits = xi.set_index("logW_target")
    for lw, color in _levels(profiles):
        d = profiles[profiles["logW_target"] == lw]
        ax.errorbar(d["r"], d["d"], d["d_err"], fmt="o", ms=3, color=color, label=_wlabel(lw))
        if lw in fits.index and np.isfinite(fits.loc[lw, "xi"]):
            f = fits.loc[lw]
            rr = np.linspace(f["window_lo"], f["window_hi"], 50)
            ax.plot(rr, decay_model(rr, f["amplitude"], f["xi"]), "-", color=color, lw=1)
    ax.set(xscale="log", yscale="log", xlabel=R_LABEL, ylabel=r"decay profile $d(r)$", title=title)
    ax.legend(fontsize=7)
    save_figure(fig, path)


def plot_correlation_length(xi_by_label: dict, path, title: str = "") -> None:
    """ln xi versus W, one curve per system size (P1 Fig. 9); xi pinned at the bound not shown
    (the legend counts those levels)."""
    fig, ax = plt.subplots(figsize=(5, 4), layout="constrained")
    for label, x in xi_by_label.items():
        bound = x["at_bound"].astype(bool)
        n_bound = int(bound.sum())
        x = x[np.isfinite(x["xi"]) & ~bound].sort_values("logW_target")
        err = x["xi_err"] / x["xi"]  # error of ln xi
        ax.errorbar(10.0 ** x["logW_target"], np.log(x["xi"]), err, fmt="o-", ms=4,
                    label=f"{label} ({n_bound} W at bound)" if n_bound else label)
    ax.set(xscale="log", xlabel=W_LABEL, ylabel=r"$\ln\xi$  ($\xi$ in $\sigma$)", title=title)
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.legend(fontsize=8)
    save_figure(fig, path)


def plot_energy_profiles(profiles, path, title: str = "") -> None:
    """Lambda(r) and Lambda(r)/|Lambda_min| of the most unstable mode per W (P1 Fig. 10)."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 4), layout="constrained")
    for lw, color in _levels(profiles):
        d = profiles[profiles["logW_target"] == lw]
        axes[0].plot(d["r"], d["Lambda"], "o-", ms=3, color=color, label=_wlabel(lw))
        axes[1].plot(d["r"], d["Lambda"] / abs(d["Lambda"].min()), "o-", ms=3, color=color)
    axes[0].set(xlabel=R_LABEL, ylabel=r"energy profile $\Lambda(r)$  $[\epsilon/\sigma^2]$", title=title)
    axes[1].set(xlabel=R_LABEL, ylabel=r"$\Lambda(r)/|\Lambda_{\min}|$")
    for ax in axes:
        ax.axhline(0, color="k", lw=0.5)
    axes[0].legend(fontsize=7)
    save_figure(fig, path)


def plot_core_energy_distribution(dist, path, title: str = "") -> None:
    """PDF (semi-log) and CDF of the core energy Lambda_min per W (P1 Figs. 11-12)."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 4), layout="constrained")
    for lw, color in _levels(dist):
        d = dist[dist["logW_target"] == lw]
        pdf, cdf = d[d["kind"] == "pdf"], d[d["kind"] == "cdf"]
        axes[0].plot(pdf["x"], pdf["y"], "o-", ms=3, color=color, label=_wlabel(lw))
        axes[1].step(cdf["x"], cdf["y"], where="post", color=color)
    axes[0].set(yscale="log", xlabel=r"$\Lambda_{\min}$  $[\epsilon/\sigma^2]$", ylabel="PDF", title=title)
    axes[1].set(yscale="log", xlabel=r"$\Lambda_{\min}$  $[\epsilon/\sigma^2]$", ylabel="CDF")
    axes[0].legend(fontsize=7)
    save_figure(fig, path)


def plot_cores(cores, path, title: str = "") -> None:
    """Mean distance from the core vs mean dE_i of the most negative local energies (P1 Fig. 19)."""
    fig, ax = plt.subplots(figsize=(5, 4), layout="constrained")
    for lw, color in _levels(cores):
        d = cores[cores["logW_target"] == lw].sort_values("rank")
        ax.errorbar(d["dE"], d["r"], d["r_sd"], d["dE_sd"], fmt="o", ms=3, color=color, label=_wlabel(lw))
    ax.set(xlabel=r"local energy $\delta E_i$  $[\epsilon/\sigma^2]$", ylabel=R_LABEL, title=title)
    ax.legend(fontsize=7)
    save_figure(fig, path)


def plot_participation_scaling(binned, edge, path, title: str = "") -> None:
    """log10 N^{2/3}<P>_lambda versus lambda per N, one panel per W, lambda_e marked (P1 Fig. 6)."""
    levels = sorted(binned["logW_target"].unique(), reverse=True)
    ncol = min(4, max(len(levels), 1))
    nrow = int(np.ceil(len(levels) / ncol)) or 1
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.2 * ncol, 2.8 * nrow), squeeze=False, layout="constrained")
    edges = edge.set_index("logW_target")
    for ax, lw in zip(axes.flat, levels):
        d = binned[(binned["logW_target"] == lw) & (binned["count"] > 0)]
        for n, g in d.groupby("N"):
            ax.plot(g["lam"], np.log10(g["scaled"]), "o-", ms=3, label=f"N = {n}")
        if lw in edges.index and np.isfinite(edges.loc[lw, "lambda_e"]):
            e = edges.loc[lw]
            ax.axvline(e["lambda_e"], color="k", lw=1)
            ax.axvspan(e["lambda_e_lo"], e["lambda_e_hi"], color="k", alpha=0.1)
        ax.set_title(_wlabel(lw), fontsize=9)
        ax.set_xlabel(LAM_LABEL, fontsize=8)
    for ax in axes[:, 0]:
        ax.set_ylabel(r"$\log_{10} N^{2/3}\langle P\rangle_\lambda$")
    for ax in list(axes.flat)[len(levels):]:
        ax.set_visible(False)
    axes[0, 0].legend(fontsize=7)
    fig.suptitle(title)
    save_figure(fig, path)


def plot_mobility_edge(edge, path, title: str = "") -> None:
    """lambda_e versus W with min/max of the pairwise crossings as error bars (P1 Fig. 7)."""
    fig, ax = plt.subplots(figsize=(5, 4), layout="constrained")
    e = edge[np.isfinite(edge["lambda_e"])].sort_values("logW_target")
    ax.errorbar(10.0 ** e["logW_target"], e["lambda_e"],
                [e["lambda_e"] - e["lambda_e_lo"], e["lambda_e_hi"] - e["lambda_e"]], fmt="o-", capsize=3)
    ax.axhline(0, color="k", lw=0.5)
    ax.set(xlabel=W_LABEL, ylabel=r"mobility edge $\lambda_e$  $[\epsilon/\sigma^2]$", title=title)
    if len(e):
        ax.set_xscale("log")
    missing = edge[~np.isfinite(edge["lambda_e"])]
    if len(missing):  # say what happened at the levels without a crossing
        ax.text(0.02, 0.02, "\n".join(f"log10 W = {r.logW_target:g}: {r.status}" for r in missing.itertuples()),
                transform=ax.transAxes, fontsize=7, va="bottom")
    save_figure(fig, path)
