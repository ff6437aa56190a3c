"""Figures of the most unstable mode of every system (P1 Figs. 8, 10-12, 19), from tables only
(one item of params.figs per system)."""
from glasstools.io import read_table
from glasstools.plots import mode_structure as pm
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
for item in sm.params.figs:
    table = {name: read_table(paths[0])[0] for name, paths in item["in"].items()}   # one system: one file each
    out, title = item["out"], item["title"]
    pm.plot_decay_profiles(table["mode_profiles"], table["correlation_length"], out["decay_profiles"], title=title)
    pm.plot_energy_profiles(table["mode_profiles"], out["energy_profiles"], title=title)
    pm.plot_core_energy_distribution(table["core_energy_distribution"], out["core_energy"], title=title)
    pm.plot_cores(table["cores"], out["cores"], title=title)
