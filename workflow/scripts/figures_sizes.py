"""Figures across system sizes at one (model, T), from tables only: xi(W) per N of every size
group (P1 Fig. 9, params.xi), and N^(2/3)<P>_lambda per W and the mobility edge lambda_e(W) of
every group with two sizes or more (P1 Figs. 6-7, params.edge)."""
from glasstools.io import read_table
from glasstools.plots import mode_structure as pm
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
for item in sm.params.xi:
    xi = {}
    for p in item["in"]["xi"]:
        df, meta = read_table(p)
        xi[f"N = {meta['N']}"] = df
    pm.plot_correlation_length(xi, item["out"]["correlation_length"], title=item["title"])
for item in sm.params.edge:
    binned, edge = (read_table(item["in"][name][0])[0] for name in ("participation_by_size", "mobility_edge"))
    pm.plot_participation_scaling(binned, edge, item["out"]["participation_scaling"], title=item["title"])
    pm.plot_mobility_edge(edge, item["out"]["mobility_edge"], title=item["title"])
