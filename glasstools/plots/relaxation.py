"""Figures of steepest-descent relaxation (P0; P1 Figs. 3-4) from analysis tables only.

Inputs are the DataFrames of ``glasstools.analysis.relaxation``; every function writes one
figure file atomically (temporary file in the same directory, then rename).  Reduced LJ units:
SD time t in zeta sigma^2/epsilon (zeta = 1), W in (epsilon/sigma)^2, |v| in epsilon/(zeta sigma).
"""
from __future__ import annotations


import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from glasstools.analysis.relaxation import fu_level_means  # noqa: E402
from glasstools.plots.save import save_figure  # noqa: E402

T_LABEL = r"SD time $t$  $[\zeta\sigma^2/\epsilon]$"
W_LABEL = r"$W=\frac{1}{N}\sum_i|\mathbf{f}_i|^2$  $[(\epsilon/\sigma)^2]$"


def _guide(ax, x, y, exponent: float, label: str) -> None:
    """Dashed power law x^exponent through the middle point of (x, y)."""
    ok = np.isfinite(x) & np.isfinite(y) & (x > 0) & (y > 0)
    if ok.sum() < 2:
        return
    x, y = x[ok], y[ok]
    x0, y0 = x[len(x) // 2], y[len(y) // 2]
    xs = np.geomspace(x.min(), x.max(), 50)
    ax.plot(xs, 2 * y0 * (xs / x0) ** exponent, "k--", lw=1, label=label)


def _pm(value: float, err: float, digits: int) -> str:
    """Mathtext 'value \\pm err', or 'value' alone when the error is undefined (one sample)."""
    v = f"{value:.{digits}f}"
    return v + rf"\pm{err:.{digits}f}" if np.isfinite(err) else v


def _band(ax, t, mean, sem, label):
    line, = ax.plot(t, mean, "o-", ms=3, label=label)
    ax.fill_between(t, mean - sem, mean + sem, color=line.get_color(), alpha=0.25, lw=0)


def plot_w_of_t(ens_by_T: dict, path, guide_exponent: float = 1.7, title: str = "KA-LJ") -> None:
    """Log-log <W>(t) (band = sem) per label of ``ens_by_T`` (ensemble_on_log_grid tables).

    Draws a t^-guide_exponent guide (P1 Fig. 3a: W ~ t^-1.7).  ``title`` should name the model
    and N; labels the temperature (e.g. "T = 2.0").
    """
    fig, ax = plt.subplots(figsize=(5, 4))
    for label, ens in ens_by_T.items():
        e = ens[ens["n_samples"] > 0]
        _band(ax, e["t"].to_numpy(), e["W_mean"].to_numpy(), e["W_sem"].fillna(0).to_numpy(),
              label)
    first = next(iter(ens_by_T.values()))
    _guide(ax, first["t"].to_numpy(), first["W_mean"].to_numpy(), -guide_exponent,
           rf"$t^{{-{guide_exponent:g}}}$")
    ax.set(xscale="log", yscale="log", xlabel=T_LABEL, ylabel=W_LABEL, title=title)
    ax.legend(fontsize=8)
    save_figure(fig, path)


def plot_v_of_t(ens_by_T: dict, fits_by_T: dict, path, title: str = "KA-LJ") -> None:
    """Log-log <|v|>(t) per label with the fitted power law B t^-beta_v (P0 Fig. 1).

    ``fits_by_T[label]`` is a ``fit_relaxation_exponent`` dict (uses ``v_prefactor_ens``,
    ``beta_v_ens`` and ``window``); labels without a fit are drawn without a line.
    """
    fig, ax = plt.subplots(figsize=(5, 4))
    for label, ens in ens_by_T.items():
        e = ens[ens["n_samples"] > 0]
        _band(ax, e["t"].to_numpy(), e["v_abs_mean"].to_numpy(),
              e["v_abs_sem"].fillna(0).to_numpy(), label)
        fit = fits_by_T.get(label)
        if fit is not None and np.isfinite(fit["beta_v_ens"]):
            ts = np.geomspace(*fit["window"], 50)
            ax.plot(ts, fit["v_prefactor_ens"] * ts ** -fit["beta_v_ens"], "k-", lw=1.2,
                    label=rf"fit {label}: $\beta_v={fit['beta_v_ens']:.3f}$, "
                          rf"$\beta={_pm(fit['beta'], fit['beta_err'], 3)}$")
    ax.set(xscale="log", yscale="log", xlabel=T_LABEL,
           ylabel=r"$|v|=\sqrt{W}/\zeta$  $[\epsilon/(\zeta\sigma)]$", title=title)
    ax.legend(fontsize=7)
    save_figure(fig, path)


def plot_w_vs_fu(fixed_by_T: dict, fits: dict, path, title: str = "KA-LJ") -> None:
    """W versus f_u in the fixed-W ensemble per label (P1 Fig. 3b, 4b).

    Points: geometric means over samples with f_u > 0 at each level (``fu_level_means``, the
    statistic that ``fit_w_vs_fu`` fits).  Lines: fitted W = c f_u^b from ``fits[label]``
    (``fit_w_vs_fu`` dicts) and a dashed f_u^2 guide.
    """
    fig, ax = plt.subplots(figsize=(5, 4))
    for label, fixed in fixed_by_T.items():
        lv = fu_level_means(fixed)
        fu, w = 10.0 ** lv["log10_f_u"].to_numpy(), 10.0 ** lv["log10_W"].to_numpy()
        pts, = ax.plot(fu, w, "o", ms=4, label=label)
        fit = fits.get(label)
        if fit is not None and np.isfinite(fit["b"]):
            xs = np.geomspace(fu.min(), fu.max(), 50)
            ax.plot(xs, fit["c"] * xs ** fit["b"], "-", color=pts.get_color(), lw=1,
                    label=rf"$W\propto f_u^{{{_pm(fit['b'], fit['b_err'], 2)}}}$")
    first = fu_level_means(next(iter(fixed_by_T.values())))
    _guide(ax, 10.0 ** first["log10_f_u"].to_numpy(), 10.0 ** first["log10_W"].to_numpy(), 2.0,
           r"$f_u^2$")
    ax.set(xlabel=r"$f_u$ (fraction of $\lambda<0$)", ylabel=W_LABEL, title=title)
    if any(len(line.get_xdata()) for line in ax.lines):
        ax.set(xscale="log", yscale="log")
        ax.legend(fontsize=7)
    else:  # e.g. a deep glass: stable at every fixed-W level
        ax.text(0.5, 0.5, "no unstable mode (f_u = 0) at any fixed-W level", ha="center",
                transform=ax.transAxes)
    save_figure(fig, path)


def plot_beta_vs_T(table, path, title: str = r"$\beta(T)$ of $\langle|v|\rangle\sim t^{-\beta}$") -> None:
    """beta(T) per (model, N) with errors, one panel per dimension (P0 Fig. 2).

    ``table``: rows of ``workflow/scripts/beta_vs_T.py`` (``dim, model, N, label, T, beta,
    beta_err`` (bootstrap over samples), ``beta_window_spread``). T = inf is drawn at the right
    edge. Lines: the harmonic limit beta_harm = D/4 + 1/2 (P0 App. B) and P0's high-T value
    (0.92 in 2D, 0.85 in 3D)."""
    from glasstools.analysis.relaxation import BETA_HIGH_T_P0, beta_harmonic

    dims = sorted(table["dim"].unique())
    fig, axes = plt.subplots(1, len(dims), figsize=(5 * len(dims), 4), squeeze=False)
    finite = table.loc[np.isfinite(table["T"]), "T"]
    t_inf = 2.0 * finite.max() if len(finite) else 1.0
    for ax, dim in zip(axes[0], dims):
        d = table[table["dim"] == dim]
        for key, g in d.groupby(["model", "N", "label"], sort=True):
            g = g.sort_values("T")
            T = np.where(np.isfinite(g["T"]), g["T"], t_inf)
            err = np.nan_to_num(g["beta_err"].to_numpy(), nan=0.0)
            bar = ax.errorbar(T, g["beta"], yerr=err, fmt="o-", ms=4, capsize=3,
                              label=f"{key[0]} N={key[1]}" + (f" {key[2]}" if key[2] else ""))
            ax.errorbar(T, g["beta"], yerr=g["beta_window_spread"], fmt="none", lw=6, alpha=0.2,
                        color=bar[0].get_color())
        ax.axhline(beta_harmonic(dim), color="k", ls="--", lw=1,
                   label=rf"$\beta_{{harm}}=D/4+1/2={beta_harmonic(dim):g}$")
        ax.axhline(BETA_HIGH_T_P0[dim], color="k", ls=":", lw=1,
                   label=f"P0 high T: {BETA_HIGH_T_P0[dim]:g}")
        if (~np.isfinite(d["T"])).any():
            ax.axvline(np.sqrt(t_inf * max(finite.max(), t_inf / 2)) if len(finite) else t_inf,
                       color="0.7", lw=0.5)
            ax.text(t_inf, ax.get_ylim()[0], r"$T=\infty$", ha="center", va="bottom", fontsize=8)
        ax.set(xscale="log", xlabel=r"parent temperature $T$", ylabel=r"$\beta$",
               title=f"D = {dim}: {title}")
        ax.legend(fontsize=7)
    save_figure(fig, path)
