"""P2 Figs. 2, 4, 6 of one system's clones (thin: tables -> glasstools.plots.clones)."""
from glasstools.io import read_table
from glasstools.plots.clones import plot_chi_ab, plot_clone_deltas, plot_glass_temperature
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
curves = []
for w_path, l_path in zip(sm.input.wait, sm.input.lag):
    w, md = read_table(w_path)
    curves.append((md["clone_T"], w, read_table(l_path)[0]))
tg, md = read_table(sm.input.tg)
s = md["system"]
title = f"{s['model']} N={s['N']}, parent T={s['T']:g}, {md['n_clones']} clones x {md['n_samples']} samples"
plot_clone_deltas(curves, sm.output.deltas, title)
plot_glass_temperature(tg, md["T_G"], md["T_G_ratio"], sm.output.ratio, title)
plot_chi_ab(tg, sm.output.chi, title)
