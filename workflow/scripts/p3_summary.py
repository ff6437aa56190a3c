"""P3 Table I (rearranges? per kind, N, T, sample), all binned lifetimes and all events in three tables."""
import pandas as pd

from glasstools.io import read_table
from glasstools.io.tables import write_table
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)


def stacked(paths):
    parts = []
    for st, path in zip(sm.params.states, paths):
        df, _ = read_table(path)
        if len(df):
            parts.append(df.assign(kind=st["p3kind"], N=int(st["p3N"]), T=float(st["p3T"]),
                                   sample=int(st["sample"])))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["kind", "N", "T", "sample"])


meta = {"source": "P3 = Mizuno, Tong, Ikeda, Mossa, JCP 153, 154501 (2020)", "states": sm.params.states}
write_table(stacked(sm.input.summary), sm.output.table,
            {**meta, "table": "P3 Table I: rearranges = an IS step with |Delta r_IS| > threshold and "
                              "|Delta Phi_IS| > energy_threshold in the run (t_total); the IS of every stride-th "
                              "frame (column stride; 1 = every frame), bisected down to the dump lag wherever "
                              "two successive IS differ: a change undone within stride frames is not seen"})
write_table(stacked(sm.input.bins), sm.output.lifetimes,
            {**meta, "table": "tau_k binned in omega, MD (C_k = 1/e) and three-phonon theory; ratio = MD / theory"})
write_table(stacked(sm.input.events), sm.output.events,
            {**meta, "table": "IS events: |Delta r_IS|, Delta Phi_IS, N_rearr, far-field exponent a"})
