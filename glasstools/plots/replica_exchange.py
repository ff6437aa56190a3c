"""Replica-exchange run at a glance (from its tables only): potential-energy histograms per
temperature, acceptance and histogram overlap per neighbouring pair, and the walkers'
temperature indices against exchange trials (round trips through the ladder)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def plot_replica_exchange(pairs, hist, trace, title: str = ""):
    """Three panels; ``pairs``, ``hist``, ``trace``: the run's ``pairs``, ``energy_histograms``
    and ``trace`` tables (``glasstools.lammps.replica_exchange.write_tables``). Returns (fig, axes)."""
    fig, ax = plt.subplots(1, 3, figsize=(13, 3.8), layout="constrained")
    temps = sorted(hist["T"].unique())
    colours = plt.get_cmap("coolwarm")(np.linspace(0, 1, max(len(temps), 2)))
    for T, col in zip(temps, colours):
        h = hist[hist["T"] == T]
        ax[0].stairs(h["probability"], np.append(h["e_lo"].to_numpy(), h["e_hi"].iloc[-1]),
                     color=col, label=f"T = {T:.4g}")
    ax[0].set(xlabel=r"$e_{pot}$ (per particle)", ylabel="probability per bin",
              title="energy histograms per T")
    if len(temps) <= 10:
        ax[0].legend(fontsize=7)
    x = pairs["pair"] + 0.5
    ax[1].plot(x, pairs["acceptance"], "o-", label="acceptance")
    ax[1].plot(x, pairs["metropolis_mean"], "s--", mfc="none", label=r"$\langle\min(1, e^{\Delta})\rangle$")
    ax[1].plot(x, pairs["histogram_overlap"], "^:", label="histogram overlap")
    ax[1].axhspan(0.2, 0.5, color="0.9", zorder=0)
    ax[1].set(xlabel="pair (k, k+1) at k + 1/2", ylabel="fraction", ylim=(0, 1),
              title="neighbouring pairs")
    ax[1].legend(fontsize=7)
    walkers = [c for c in trace.columns if c.startswith("walker_")]
    for c, col in zip(walkers, plt.get_cmap("viridis")(np.linspace(0, 1, max(len(walkers), 2)))):
        ax[2].step(trace["trial"], trace[c], where="post", lw=0.8, color=col)
    ax[2].set(xlabel="exchange trial", ylabel="temperature index", title="walkers through the ladder")
    fig.suptitle(title)
    return fig, ax
