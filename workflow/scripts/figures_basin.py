"""P2 Fig. 7 (Delta0_AB, P_AB, E_IS, V_AB in clustering order) and the NEB energy profiles of one basin."""
import matplotlib.pyplot as plt
import numpy as np

from glasstools.analysis.landscape import barrier_matrix
from glasstools.io import read_table
from glasstools.plots.landscape import plot_landscape_matrices, plot_neb_profile
from glasstools.plots.save import save_figure
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
pairs, md = read_table(sm.input.pairs)
clones, _ = read_table(sm.input.clones)
n = md["n_clones"]
ab = list(zip(pairs["A"], pairs["B"]))
mat = {k: barrier_matrix(n, ab, pairs[k].to_numpy()) for k in ("delta0", "p_ab", "barrier")}
np.fill_diagonal(mat["p_ab"], np.nan)
fig, _ = plot_landscape_matrices(mat["delta0"], mat["p_ab"], clones["e_is"].to_numpy(), mat["barrier"],
                                 order=np.asarray(md["cluster_order"]))
fig.suptitle(f"{md['system']['model']} N={md['system']['N']}: basin of sample {md['sample']} at T={md['clone_T']:g}, "
             f"{n} clones, {md['n_distinct_minima']} distinct IS")
save_figure(fig, sm.output.matrices)
fig, ax = plt.subplots(figsize=(5.5, 4), layout="constrained")
for path in sm.input.neb:
    prof, m = read_table(path)
    if len(prof):
        plot_neb_profile(prof, ax=ax, label=f"{m['clone_a']}-{m['clone_b']}" + ("" if m["converged"] else " (nc)"))
ax.set_title(f"NEB profiles, {len(pairs) - int(pairs['skipped'].sum())} of {len(pairs)} pairs (same IS skipped)")
if len(ax.lines) <= 12:
    ax.legend(fontsize=6)
save_figure(fig, sm.output.profiles)
