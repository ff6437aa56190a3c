"""P3 figures (Mizuno, Tong, Ikeda, Mossa, JCP 153, 154501 (2020), Figs. 1-9, S5), from tables only.

Every function takes ``runs``: a list of (state, table) with state = {"kind", "N", "T", "sample"}
(one P3 run) and the table named in its docstring, and writes one figure. Reduced units (σ, ε,
m = k_B = 1). Colours: one per temperature; glass solid / crystal dashed.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from glasstools.analysis.mode_lifetimes import BIN_WIDTH, frequency_bins, no_resonance  # noqa: E402
from glasstools.plots.save import save_figure  # noqa: E402

KINDS = ("glass", "crystal")


def _label(st) -> str:
    return f"{st['kind']} N={st['N']} T={st['T']:g}" + (f" s{st['sample']}" if st.get("sample") else "")


def _colour(T, temps):
    temps = sorted(set(temps))
    return plt.get_cmap("viridis")(temps.index(T) / max(len(temps) - 1, 1))


def _style(kind):
    return "-" if kind == "glass" else "--"


def _empty(ax, what):
    ax.text(0.5, 0.5, f"no {what}", ha="center", va="center", transform=ax.transAxes)


def plot_msd(runs, path) -> None:
    """Fig. 1: MSD(t) (msd table: t, msd), a plateau for vibrations without diffusion."""
    fig, ax = plt.subplots(figsize=(5.5, 4), layout="constrained")
    temps = [st["T"] for st, _ in runs]
    for st, df in runs:
        df = df[df["t"] > 0]
        ax.plot(df["t"], df["msd"], _style(st["kind"]), color=_colour(st["T"], temps), label=_label(st))
    ax.set(xscale="log", yscale="log", xlabel="$t$", ylabel=r"$\langle |r_i(t)-r_i(0)|^2\rangle_0$",
           title="P3 Fig. 1: mean-squared displacement")
    ax.legend(fontsize=7)
    save_figure(fig, path)


def plot_lifetimes(runs, path, scaled: bool = False, bin_width: float = BIN_WIDTH) -> None:
    """Fig. 2 (``scaled`` False): τ_k(ω_k) from MD (points: decayed modes; line: bin means) and
    three-phonon theory (open: per mode; dotted: bin means; modes with Γ_k = 0 left out), one panel
    per kind; Fig. 3
    (``scaled``): the bin means times T (τ ∝ 1/T collapses). Table: modes (omega, tau,
    decayed, tau_theory)."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained", sharey=True)
    temps = [st["T"] for st, _ in runs]
    for ax, kind in zip(axes, KINDS):
        have = False
        for st, df in runs:
            if st["kind"] != kind or not len(df):
                continue
            have = True
            c = _colour(st["T"], temps)
            f = st["T"] if scaled else 1.0
            md = df[df["decayed"].astype(bool)]
            th = df[np.isfinite(df["tau_theory"].astype(float)) & ~no_resonance(df["gamma"])]
            if not scaled:
                ax.plot(md["omega"], md["tau"], ".", ms=2, color=c, alpha=0.4)
                ax.plot(th["omega"], th["tau_theory"], "o", ms=3, mfc="none", color=c, alpha=0.5)
            for sub, col, ls, lab in ((md, "tau", "-", "MD"), (th, "tau_theory", ":", "theory")):
                if len(sub):
                    b = frequency_bins(sub["omega"], bin_width)
                    g = sub.groupby(b)
                    ax.plot(g["omega"].mean(), f * g[col].mean(), ls, color=c, label=f"{lab} T={st['T']:g}")
        if not have:
            _empty(ax, f"{kind} run without rearrangements")
        ax.set(xscale="log", yscale="log", xlabel=r"$\omega_k$", title=kind,
               ylabel=r"$\tau_k T$" if scaled else r"$\tau_k$")
        ax.legend(fontsize=7)
    fig.suptitle("P3 Fig. 3: $\\tau_k T$ (MD lines, theory dotted)" if scaled
                 else "P3 Fig. 2: $\\tau_k$, MD (dots, lines) vs three-phonon theory (circles, dotted)")
    save_figure(fig, path)


def plot_jdos(runs, path) -> None:
    """Fig. 4: j(ω) = j_split + j_combine of the IS (jdos table: omega, j_split, j_combine, g)."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    for ax, kind in zip(axes, KINDS):
        sel = [(st, df) for st, df in runs if st["kind"] == kind and len(df)]
        if not sel:
            _empty(ax, f"{kind} j(omega)")
        for st, df in sel[:1]:
            ax.plot(df["omega"], df["j_split"], label="split")
            ax.plot(df["omega"], df["j_combine"], label="combine")
            ax.plot(df["omega"], df["j_split"] + df["j_combine"], "k", lw=0.8, label="j")
            ax.set_title(f"{kind} N={st['N']} (IS at T={st['T']:g})")
        ax.set(xlabel=r"$\omega$", ylabel=r"$j(\omega)$")
        ax.legend(fontsize=8)
    fig.suptitle("P3 Fig. 4: joint two-mode DOS")
    save_figure(fig, path)


def plot_series(runs, path, column: str, ylabel: str, title: str, log: bool = False) -> None:
    """Figs. 5, 8, 9: a column of the IS trajectory table against t, one panel per run."""
    n = max(len(runs), 1)
    fig, axes = plt.subplots(n, 1, figsize=(7, 1.6 * n + 0.8), layout="constrained", squeeze=False)
    for ax, (st, df) in zip(axes[:, 0], runs):
        y = df[column].to_numpy(float)
        ax.plot(df["t"], np.abs(y) if log else y, lw=0.7)
        if log:
            ax.set_yscale("log")
        ax.set_ylabel(ylabel, fontsize=8)
        ax.set_title(_label(st), fontsize=8)
    axes[-1, 0].set_xlabel("$t$")
    fig.suptitle(title)
    save_figure(fig, path)


def plot_events(events, path, threshold=None) -> None:
    """Fig. 6: |ΔΦ_IS| and N_rearr against |Δr_IS| of every event (events table with kind, N, T)."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    if not len(events):
        _empty(a, "events")
        _empty(b, "events")
    for (kind, N, T), g in events.groupby(["kind", "N", "T"]) if len(events) else []:
        a.plot(g["dr"], np.abs(g["dphi"]), "o", ms=4, label=f"{kind} N={N} T={T:g}")
        b.plot(g["dr"], g["n_rearr"], "o", ms=4, label=f"{kind} N={N} T={T:g}")
    a.set(xscale="log", yscale="log", xlabel=r"$|\Delta r_{IS}|$", ylabel=r"$|\Delta\Phi_{IS}|$",
          title="P3 Fig. 6a")
    b.set(xscale="log", yscale="log", xlabel=r"$|\Delta r_{IS}|$", ylabel=r"$N_{rearr}$", title="P3 Fig. 6b")
    for ax in (a, b):
        if threshold is not None:
            ax.axvline(threshold, color="k", lw=0.6, ls=":")
        if len(events):
            ax.legend(fontsize=7)
    save_figure(fig, path)


def plot_far_field(field, event: dict | None, path, title: str = "") -> None:
    """Fig. 7b: |Δr_IS,i|/|Δr_IS,1| against r for the largest event (event_field table: r, ratio)
    with its fit r^-a over the fit window (``event``: the events row: a, a_err, c, r_min, r_max)."""
    fig, ax = plt.subplots(figsize=(5.5, 4), layout="constrained")
    if event is None or not len(field):
        _empty(ax, "event")
    else:
        f = field[field["r"] > 0]
        ax.plot(f["r"], f["ratio"], ".", ms=3, alpha=0.6)
        r = np.linspace(event["r_min"], event["r_max"], 50)
        ax.plot(r, np.exp(event["c"]) * r ** -event["a"], "r-",
                label=rf"$r^{{-a}}$, $a = {event['a']:.2f} \pm {event['a_err']:.2f}$")
        ax.legend(fontsize=8)
        title = title + rf"  $|\Delta r_{{IS}}| = {event['dr']:.3g}$, $N_{{rearr}} = {event['n_rearr']:.0f}$"
    ax.set(xscale="log", yscale="log", xlabel="$r$", ylabel=r"$|\Delta r_{IS,i}| / |\Delta r_{IS,1}|$",
           title="P3 Fig. 7b " + title)
    save_figure(fig, path)


def plot_equipartition(runs, path, bin_width: float = BIN_WIDTH) -> None:
    """Fig. S5: ⟨E_k⟩/T against ω_k (modes table: omega, e_mean_over_T), = 1 in equilibrium."""
    fig, ax = plt.subplots(figsize=(5.5, 4), layout="constrained")
    temps = [st["T"] for st, _ in runs]
    for st, df in runs:
        if len(df):
            b = frequency_bins(df["omega"], bin_width)
            g = df.groupby(b)
            ax.plot(g["omega"].mean(), g["e_mean_over_T"].mean(), _style(st["kind"]) + "o", ms=3,
                    color=_colour(st["T"], temps), label=_label(st))
    ax.axhline(1.0, color="k", lw=0.8, ls=":")
    ax.set(xlabel=r"$\omega_k$", ylabel=r"$\langle E_k\rangle / T$", title="P3 Fig. S5: equipartition")
    ax.legend(fontsize=7)
    save_figure(fig, path)
