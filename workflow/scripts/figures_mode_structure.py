"""Figures of the most unstable mode of one system (P1 Figs. 8, 10-12, 19), from tables only."""
from glasstools.io import read_table
from glasstools.plots import mode_structure as pm
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
title = sm.params.title
profiles, xi = read_table(sm.input.profiles)[0], read_table(sm.input.xi)[0]
pm.plot_decay_profiles(profiles, xi, sm.output.decay_profiles, title=title)
pm.plot_energy_profiles(profiles, sm.output.energy_profiles, title=title)
pm.plot_core_energy_distribution(read_table(sm.input.core_dist)[0], sm.output.core_energy, title=title)
pm.plot_cores(read_table(sm.input.cores)[0], sm.output.cores, title=title)
