"""Replica-exchange figure of one system: energy histograms, pair acceptance, walker traces."""
from glasstools.io import read_table
from glasstools.plots.replica_exchange import plot_replica_exchange
from glasstools.plots.save import save_figure
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
pairs, meta = read_table(sm.input.pairs)
fig, _ = plot_replica_exchange(pairs, read_table(sm.input.hist)[0], read_table(sm.input.trace)[0],
                               title=f"{sm.params.title}: replica exchange, {meta['replicas']} replicas, "
                                     f"{meta['trials']} trials of {meta['exchange_every']} steps")
save_figure(fig, sm.output[0])
