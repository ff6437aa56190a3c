"""P4 figures (Figs. 3-5, 7, 9 equivalents) from the tables only (thin: glasstools.plots.p4)."""
from pathlib import Path

from glasstools.io import read_table
from glasstools.plots import p4
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)


def label(path, up):
    """'model/N..' of a results/p4/{model}/N{N}/... path (``up`` levels above the file)."""
    parts = Path(path).parts
    return "/".join(parts[-2 - up:-up])


def state_key(path):
    tab, meta = read_table(path)
    return (label(path, 2), float(meta["T"])), tab


summaries = {label(p, 1): read_table(p)[0] for p in sm.input.summary}
fits = {label(p, 1): read_table(p)[0] for p in sm.input.mesoelastic}
curves = dict(state_key(p) for p in sm.input.dynamics)
series = dict(state_key(p) for p in sm.input.transitions)
figs = {Path(f).stem: f for f in sm.output.figs}
p4.plot_relative_changes(summaries, figs["p4_fig3_relative_changes"])
p4.plot_mesoelastic(summaries, fits, figs["p4_fig4_mesoelastic"])
p4.plot_transitions(series, summaries, figs["p4_fig5_transitions"])
p4.plot_stokes_einstein(summaries, curves, figs["p4_fig9_stokes_einstein"])
p4.plot_propensity({label(p, 1): read_table(p)[0] for p in sm.input.propensity},
                   {label(p, 1): read_table(p)[0] for p in sm.input.spearman}, figs["p4_fig7_propensity"])
