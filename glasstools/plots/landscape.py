"""Landscape figures: displacement field between two minima (P0 Fig. 5 style) and the clone
matrices Delta^0_AB, P_AB, E_IS, V_AB in average-linkage order (P2).

Arrays in, one figure file out (written atomically by ``save_figure``). Reduced LJ units.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from glasstools.analysis.landscape import cluster_order, reorder  # noqa: E402
from glasstools.geometry import displacements, slab, wrap  # noqa: E402
from glasstools.plots.save import save_figure  # noqa: E402


def plot_displacement_field(pos_a, pos_b, box_len, path=None, *, normal: int = 2,
                            slab_center: float | None = None, slab_width: float = 1.0,
                            scale: float | None = None, ax=None, title: str = ""):
    """Quiver of the displacements r_i^B - r_i^A (minimum image) between two minima, projected
    on the plane perpendicular to axis ``normal`` (P0 Fig. 5). In 3D only particles of A in the
    slab |r_normal - slab_center| < slab_width / 2 are drawn (default centre: middle of the box);
    arrows at the A positions, colour = |displacement|. Returns the figure."""
    a = np.asarray(pos_a, float)
    box_len = np.asarray(box_len, float)
    d = displacements(a, pos_b, box_len)
    a = wrap(a, box_len)
    sel, axes = slab(a, box_len, normal, slab_center, slab_width)
    u, v = d[sel][:, axes[0]], d[sel][:, axes[1]]
    mag = np.hypot(u, v)
    own = ax is None
    fig, ax = plt.subplots(figsize=(5, 5)) if own else (ax.figure, ax)
    q = ax.quiver(a[sel, axes[0]], a[sel, axes[1]], u, v, mag, cmap="viridis", angles="xy",
                  scale_units="xy", scale=scale if scale else _auto_scale(mag, box_len), width=0.004)
    ax.set_xlim(0, box_len[axes[0]])
    ax.set_ylim(0, box_len[axes[1]])
    ax.set_aspect("equal")
    names = "xyz"
    ax.set_xlabel(f"${names[axes[0]]}$  $[\\sigma]$")
    ax.set_ylabel(f"${names[axes[1]]}$  $[\\sigma]$")
    fig.colorbar(q, ax=ax, label=r"$|\delta \mathbf{r}_i|$ (projected)  $[\sigma]$", shrink=0.8)
    label = title or (f"slab {names[normal]} ± {slab_width / 2:g}, {int(sel.sum())} particles"
                      if a.shape[1] == 3 else "")
    ax.set_title(label, fontsize=9)
    if path is not None and own:
        save_figure(fig, path)
    return fig


def _auto_scale(mag, box_len):
    """Arrow scale so that the largest arrow is 10% of the box."""
    m = np.max(mag) if len(mag) and np.max(mag) > 0 else 1.0
    return m / (0.1 * float(np.min(box_len)))


def plot_landscape_matrices(delta0, p_ab, e_is, v_ab, path=None, order=None):
    """Four panels in P2's order: Delta^0_AB, P_AB, E_IS, V_AB, clones ordered by average-linkage
    clustering of V_AB (``order`` overrides). ``e_is`` is the per-clone IS energy (vector, shown
    as E_IS^A - min E_IS on the diagonal band) or an n x n matrix. NaN entries (e.g. P_AB of
    identical minima) are drawn grey. Returns (figure, order)."""
    v_ab = np.asarray(v_ab, float)
    if order is None:
        order = cluster_order(np.nan_to_num(v_ab, nan=np.nanmax(v_ab) if np.isfinite(v_ab).any() else 0))
    e = np.asarray(e_is, float)
    if e.ndim == 1:
        e = np.diag(e - e.min())
        e[~np.eye(len(e), dtype=bool)] = np.nan
    mats = [(delta0, r"$\Delta^0_{AB}$"), (p_ab, r"$P_{AB}$"), (e, r"$E_{IS}-\min E_{IS}$"),
            (v_ab, r"$V_{AB}$")]
    fig, axes = plt.subplots(1, 4, figsize=(16, 4), constrained_layout=True)
    cmap = plt.get_cmap("viridis").with_extremes(bad="0.85")
    for ax, (M, name) in zip(axes, mats):
        M = reorder(np.asarray(M, float), order)
        # all four are >= 0: a zero floor keeps roundoff-level differences from filling the colour scale
        im = ax.imshow(np.ma.masked_invalid(M), cmap=cmap, origin="upper", interpolation="nearest", vmin=0.0)
        ax.set_title(name)
        ax.set_xlabel("clone B")
        ax.set_ylabel("clone A")
        ticks = np.arange(len(order))
        if len(order) <= 20:
            ax.set_xticks(ticks, [str(k) for k in order], fontsize=7)
            ax.set_yticks(ticks, [str(k) for k in order], fontsize=7)
        fig.colorbar(im, ax=ax, shrink=0.8)
    if path is not None:
        save_figure(fig, path)
    return fig, order


def plot_neb_profile(profile, path=None, ax=None, label=None):
    """Energy along the chain, E(image) - E_A versus normalised reaction coordinate s."""
    own = ax is None
    fig, ax = plt.subplots(figsize=(5, 3.5)) if own else (ax.figure, ax)
    e = np.asarray(profile["energy"], float)
    ax.plot(profile["s"], e - e[0], "o-", ms=3, label=label)
    ax.set_xlabel("reaction coordinate $s$")
    ax.set_ylabel(r"$E - E_A$  $[\epsilon]$")
    if path is not None and own:
        save_figure(fig, path)
    return fig
