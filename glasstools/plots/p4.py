"""P4 figures from tables only (Kapteijns et al., JCP 155, 074502 (2021)).

* ``plot_relative_changes``: kappa(T_p)/kappa(T_p,max) and G(T_p)/G(T_p,max) against 1/T_p (Figs. 3, 4 a3-d3);
* ``plot_mesoelastic``: ln(tau_alpha/t_0) against kappa/T with the fit of Eq. (3) (Fig. 4 a4-d4);
* ``plot_transitions``: U_IS/T along MD against N t/(N_0 t_ballistic) and the reduced rate (Fig. 5);
* ``plot_stokes_einstein``: MSD, F_s in reduced units and D t_0/a_0^2 against tau_alpha/t_0 (Fig. 9);
* ``plot_propensity``: kappa_i of the most / least mobile large particles and 1/kappa_i vs mobility (Figs. 6-7).

Every function takes {model label: DataFrame} (or lists of them) as read by ``glasstools.io.read_table``.
"""
from __future__ import annotations

import math

import numpy as np

from .save import plt, save_figure as _save_figure


def save_figure(fig, path) -> None:
    fig.tight_layout()
    _save_figure(fig, path)


def _panels(n, w=4.0, h=3.2):
    fig, axes = plt.subplots(1, max(1, n), figsize=(w * max(1, n), h), squeeze=False)
    return fig, axes[0]


def plot_relative_changes(summaries: dict, path) -> None:
    """One panel per model: kappa_rel and G_rel (errors propagated) against 1/T_p."""
    fig, axes = _panels(len(summaries))
    for ax, (name, df) in zip(axes, summaries.items()):
        x = 1.0 / df["T"]
        ax.errorbar(x, df["kappa_rel"], df["kappa_rel_err"], marker="o", label="κ / κ(T_p,max)")
        ax.errorbar(x, df["G_rel"], df["G_rel_err"], marker="s", label="G / G(T_p,max)")
        ax.axhline(1.0, color="0.7", lw=0.8)
        ax.set_xlabel("1 / T_p")
        ax.set_title(name, fontsize=9)
    axes[0].set_ylabel("relative change")
    axes[0].legend(fontsize=8)
    save_figure(fig, path)


def plot_mesoelastic(summaries: dict, fits: dict, path) -> None:
    """ln(tau_alpha/t_0) against kappa/T; the fitted line over the activated points, ell, t_tilde."""
    names = [n for n, df in summaries.items() if "tau_over_t0" in df]
    fig, axes = _panels(len(names))
    for ax, name in zip(axes, names):
        df, fit = summaries[name], fits[name].iloc[0]
        x, y = df["kappa_over_T"], np.log(df["tau_over_t0"])
        ax.errorbar(x, y, xerr=df["kappa_err"] / df["T"], marker="o", ls="none", label="MD")
        if math.isfinite(fit.get("t_tilde", math.nan)):
            xx = np.linspace(0.0, float(np.nanmax(x)) * 1.1, 50)
            ax.plot(xx, fit["slope"] * xx + fit["ln_t_tilde"], "k--",
                    label=f"ℓ̃ = {fit['ell']:.3g} ± {fit['ell_err']:.2g}\nt̃ = {fit['t_tilde']:.3g}")
            ax.axhline(math.log(fit["min_tau_ratio"]), color="0.7", lw=0.8)
        ax.set_xlabel("κ / T")
        ax.set_title(name, fontsize=9)
        ax.legend(fontsize=8)
    axes[0].set_ylabel("ln(τ_α / t_0)")
    save_figure(fig, path)


def plot_transitions(series: dict, summaries: dict, path, n0: int = 1000) -> None:
    """(a) [U_IS(t) - U_IS(0)]/T against N t/(N_0 t_ballistic) per (model, T); (b) reduced rate against 1/T with
    the cap of the sampling interval (open symbols: saturated, a lower bound)."""
    fig, (a, b) = _panels(2, 4.2)
    for (name, T), df in series.items():
        s = summaries[name]
        row = s[s["T"] == T].iloc[0]
        if not len(df):
            continue
        n = row["N"]
        a.plot(n * df["t"] / (n0 * row["transition_t_ballistic"]), (df["e_is"] - df["e_is"].iloc[0]) * n / T,
               lw=0.8, drawstyle="steps-post", label=f"{name}, T = {T:g}")
    a.set_xlabel("N t / (N_0 t_ballistic)")
    a.set_ylabel("[U_IS(t) − U_IS(0)] / T")
    a.legend(fontsize=7)
    for name, s in summaries.items():
        if "transition_reduced_rate" not in s:
            continue
        line = b.semilogy(1.0 / s["T"], s["transition_reduced_rate"].clip(lower=1e-6), "o-", label=name)[0]
        b.semilogy(1.0 / s["T"], s["transition_reduced_cap"], ":", color=line.get_color())
    b.set_xlabel("1 / T")
    b.set_ylabel("Γ t_ballistic N_0 / N  (dotted: cap)")
    b.legend(fontsize=7)
    save_figure(fig, path)


def plot_stokes_einstein(summaries: dict, curves: dict, path) -> None:
    """(a) MSD/a_0^2 and (b) F_s against t/t_0 per (model, T); (c) D t_0/a_0^2 against tau_alpha/t_0
    (log-log) with the Stokes-Einstein slope -1 and the fitted exponent per model."""
    fig, (a, b, c) = _panels(3)
    for (name, T), df in curves.items():
        s = summaries[name]
        row = s[s["T"] == T].iloc[0]
        if not len(df):
            continue
        t = df["t"] / row["t0"]
        a.loglog(t[1:], df["msd"][1:] / row["a0"] ** 2, lw=0.8, label=f"{name}, T = {T:g}")
        b.semilogx(t[1:], df["F_s"][1:], lw=0.8)
    a.set(xlabel="t / t_0", ylabel="MSD / a_0²")
    b.axhline(0.2, color="0.6", lw=0.8)
    b.set(xlabel="t / t_0", ylabel="F_s(q_max, t)")
    a.legend(fontsize=6)
    for name, s in summaries.items():
        if "D_reduced" not in s:
            continue
        ok = np.isfinite(s["tau_over_t0"]) & (s["D_reduced"] > 0)
        x, y = s["tau_over_t0"][ok], s["D_reduced"][ok]
        lab = name
        if ok.sum() >= 2:
            p = np.polyfit(np.log(x), np.log(y), 1)[0]
            lab += f" (slope {p:.2f})"
        c.loglog(x, y, "o-", label=lab)
        if ok.sum():
            xx = np.array([x.min(), x.max()])
            c.loglog(xx, y.iloc[0] * x.iloc[0] / xx, "k:", lw=0.8)
    c.set(xlabel="τ_α / t_0", ylabel="D t_0 / a_0²  (dotted: SE, slope −1)")
    c.legend(fontsize=7)
    save_figure(fig, path)


def plot_propensity(particles: dict, spearman: dict, path) -> None:
    """Per model: histograms of kappa_i/<kappa> of the most and least mobile large particles, and
    1/kappa_i against mobility (all particles, per species) with C_s in the title."""
    names = list(particles)
    fig, axes = plt.subplots(2, max(1, len(names)), figsize=(3.8 * max(1, len(names)), 6), squeeze=False)
    for k, name in enumerate(names):
        df, cs = particles[name], spearman[name]
        h, sc = axes[0, k], axes[1, k]
        mean = df["kappa_i"].mean()
        for ext in ("most", "least"):
            v = df.loc[df["extreme"] == ext, "kappa_i"] / mean
            if len(v):
                h.hist(v, bins=10, alpha=0.6, density=True, label=f"{ext} mobile")
        h.set(xlabel="κ_i / ⟨κ⟩", title=name)
        h.legend(fontsize=7)
        for t, g in df.groupby("type"):
            c_s = cs.loc[cs["type"] == t, "C_s"].mean()
            sc.plot(g["mobility"], g["inv_kappa_i"], ".", ms=3, label=f"type {t}: C_s = {c_s:.2f}")
        sc.set(xlabel="mobility", ylabel="1 / κ_i")
        sc.legend(fontsize=7)
    save_figure(fig, path)
