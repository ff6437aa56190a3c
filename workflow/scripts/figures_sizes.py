"""Figures across system sizes at one (model, T), from tables only: xi(W) per N (P1 Fig. 9),
or N^(2/3)<P>_lambda per W and the mobility edge lambda_e(W) (P1 Figs. 6-7)."""
from glasstools.io import read_table
from glasstools.plots import mode_structure as pm
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
title = sm.params.title
if "xi" in sm.output.keys():
    xi = {}
    for p in sm.input.xi:
        df, meta = read_table(p)
        xi[f"N = {meta['N']}"] = df
    pm.plot_correlation_length(xi, sm.output.xi, title=title)
else:
    binned, edge = read_table(sm.input.binned)[0], read_table(sm.input.edge)[0]
    pm.plot_participation_scaling(binned, edge, sm.output.scaling, title=title)
    pm.plot_mobility_edge(edge, sm.output.edge, title=title)
