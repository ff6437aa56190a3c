"""Defect figures in the style of P0 (Nishikawa et al., "Relaxation dynamics in the energy
landscape of glass-forming liquids", PRX 2022): Fig. 4, the defect concentration <phi> and
susceptibility chi = N(<phi^2> - <phi>^2) versus the parent temperature T (with the mean
distance (1/N) sum_i |r_i^A - r_i^B|^2 between the IS of different minimisers, Sec. III), and
Fig. 3, a snapshot of D^2_min and phi_i with the displacement arrows r_i(0) -> r_i(IS).

Tables / arrays in, one figure file out (``save_figure``, atomic). Reduced units (lengths in
sigma or mean diameters). 3D configurations are shown as a slab |r_normal - centre| < width/2
projected on the other two axes.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from glasstools.geometry import slab, wrap  # noqa: E402
from glasstools.plots.save import save_figure  # noqa: E402


def _errorbar(ax, x, y, err, **kw):
    err = np.where(np.isfinite(err), err, 0.0)
    return ax.errorbar(x, y, yerr=err, capsize=3, **kw)


def plot_defects_vs_T(defects, distances=None, path=None, title: str = ""):
    """P0 Fig. 4: (a) <phi>(T) with its standard error, (b) chi(T) (P0's ddof-0 estimator,
    jackknife error; open symbols: ddof-1 estimator), (c) if ``distances`` is given, the mean IS
    distance per minimiser pair versus T (log scale). ``defects``: rows of
    ``defect_statistics`` with a column T; ``distances``: ``is_distance_averages`` rows with T.
    Non-finite T (random starts, T = inf) are listed in the title, not drawn."""
    d = defects[np.isfinite(defects["T"].astype(float))].sort_values("T")
    skipped = sorted(set(defects["T"]) - set(d["T"]))
    n = 3 if distances is not None else 2
    fig, axes = plt.subplots(1, n, figsize=(4.2 * n, 3.6), constrained_layout=True)
    T = d["T"].to_numpy(float)
    _errorbar(axes[0], T, d["phi_mean"], d["phi_mean_err"], fmt="o-", color="C3")
    axes[0].set_ylabel(r"$\langle\phi\rangle$")
    axes[0].set_ylim(bottom=0)
    _errorbar(axes[1], T, d["chi"], d["chi_err"], fmt="s-", color="C0", label=r"$\chi$ (P0, ddof 0)")
    axes[1].plot(T, d["chi_ddof1"], "s", mfc="none", color="C0", label="ddof 1")
    axes[1].set_ylabel(r"$\chi = N(\langle\phi^2\rangle - \langle\phi\rangle^2)$")
    axes[1].legend(fontsize=8)
    if distances is not None:
        ax = axes[2]
        dist = distances[np.isfinite(distances["T"].astype(float))]
        for k, ((a, b), g) in enumerate(dist.groupby(["a", "b"], sort=False)):
            g = g.sort_values("T")
            _errorbar(ax, g["T"].to_numpy(float), g["delta_mean"], g["delta_err"], fmt="o-",
                      color=f"C{k}", label=f"{a}–{b}")
        if len(dist):
            ax.set_yscale("log")
        ax.set_ylabel(r"$\Delta_{AB} = \frac{1}{N}\sum_i |\mathbf{r}_i^A - \mathbf{r}_i^B|^2$  $[\sigma^2]$")
        if len(dist):
            ax.legend(fontsize=7)
    if len(d) == 0:  # e.g. only random starts (T = inf): print the values instead of points
        txt = "\n".join(f"T = {r.T:g}: <phi> = {r.phi_mean:.3g} ± {r.phi_mean_err:.2g}, "
                        f"chi = {r.chi:.3g} (n = {int(r.n_samples)})" for r in defects.itertuples())
        axes[0].text(0.02, 0.5, txt, transform=axes[0].transAxes, fontsize=7, va="center")
    ns = ", ".join(f"T={t:g}: {int(k)}" for t, k in zip(T, d["n_samples"]))
    for ax in axes:
        ax.set_xlabel("parent temperature $T$")
    fig.suptitle(f"{title}  (samples {ns})" + (f"; not drawn: T = {skipped}" if skipped else ""),
                 fontsize=9)
    if path is not None:
        save_figure(fig, path)
    return fig


def plot_defect_snapshot(positions, dr, phi, d2min, box_len, diameters=None, path=None, *,
                         normal: int = 2, slab_center: float | None = None, slab_width: float = 1.0,
                         arrow_factor: float = 3.0, title: str = ""):
    """P0 Fig. 3 for one sample: (a) D^2_min (colour, log scale) and (b) phi_i (red: 1, blue: 0),
    both with the displacement arrows r_i(0) -> r_i(IS) magnified by ``arrow_factor``, drawn at
    the start positions ``positions`` (N, D) with ``dr`` = r_IS - r_start (minimum image).
    Circles of the particle diameters (if given). 3D: slab of width ``slab_width`` around
    ``slab_center`` (default: box middle) normal to axis ``normal``, projected."""
    pos = wrap(positions, box_len)
    box_len = np.asarray(box_len, float)
    sel, ax2 = slab(pos, box_len, normal, slab_center, slab_width)
    p, u = pos[sel][:, ax2], np.asarray(dr, float)[sel][:, ax2] * arrow_factor
    ph = np.asarray(phi)[sel]
    d2 = np.asarray(d2min, float)[sel]
    size = (np.asarray(diameters, float)[sel] if diameters is not None else np.ones(len(p)))
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.8), constrained_layout=True)
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import LogNorm
    from matplotlib.patches import Circle

    pos_d2 = d2[np.isfinite(d2) & (d2 > 0)]
    lo, hi = (np.percentile(pos_d2, 1), pos_d2.max()) if len(pos_d2) else (1e-6, 1.0)
    for ax, what in zip(axes, ("d2min", "phi")):
        circles = [Circle(xy, 0.5 * s) for xy, s in zip(p, size)]
        if what == "d2min":
            pc = PatchCollection(circles, cmap="viridis", norm=LogNorm(vmin=lo, vmax=max(hi, lo * 10)),
                                 edgecolor="k", linewidth=0.2)
            pc.set_array(np.clip(np.nan_to_num(d2, nan=lo), lo, None))
            ax.add_collection(pc)
            fig.colorbar(pc, ax=ax, shrink=0.8, label=r"$D^2_{\min}$  $[\sigma^2]$")
            ax.set_title(r"(a) $D^2_{\min}$ start $\to$ IS", fontsize=9)
        else:
            pc = PatchCollection(circles, facecolor=np.where(ph[:, None] == 1, [[0.85, 0.15, 0.1, 0.8]],
                                                             [[0.2, 0.35, 0.85, 0.5]]),
                                 edgecolor="k", linewidth=0.2)
            ax.add_collection(pc)
            ax.set_title(rf"(b) $\phi_i$ (red: 1, {int(ph.sum())} of {len(ph)} shown)", fontsize=9)
        ax.quiver(p[:, 0], p[:, 1], u[:, 0], u[:, 1], angles="xy", scale_units="xy", scale=1,
                  width=0.003, color="k")
        ax.set_xlim(0, box_len[ax2[0]])
        ax.set_ylim(0, box_len[ax2[1]])
        ax.set_aspect("equal")
        ax.set_xlabel(f"${'xyz'[ax2[0]]}$  $[\\sigma]$")
        ax.set_ylabel(f"${'xyz'[ax2[1]]}$  $[\\sigma]$")
    shown = (f"slab |{'xyz'[normal]} - c| < {slab_width / 2:g}, " if pos.shape[1] == 3 else "")
    fig.suptitle(f"{title}  ({shown}arrows x{arrow_factor:g})", fontsize=9)
    if path is not None:
        save_figure(fig, path)
    return fig
