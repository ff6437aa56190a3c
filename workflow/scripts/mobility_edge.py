"""<P>_lambda per size and the mobility edge lambda_e(W) of one (model, T) group (P1 Figs. 6-7)."""
import pandas as pd

from glasstools.analysis.mobility_edge import binned_participation, mobility_edge
from glasstools.io import read_table, write_table
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
an = sm.params.analysis
frames, metas = [], []
for p in sm.input.modes:
    df, meta = read_table(p)
    frames.append(df.assign(N=meta["N"]))
    metas.append(meta)
modes = pd.concat(frames, ignore_index=True)
meta = {k: metas[0][k] for k in ("model", "reference", "units", "mode_units", "versions") if k in metas[0]}
meta.update({"systems": sm.params.systems, "sizes": sorted({m["N"] for m in metas}),
             "bins": an["mobility_bins"], "spacing": an["mobility_spacing"], "min_count": an["mobility_min_count"],
             "method": "lambda_e = mean of pairwise crossings of N^(2/3)<P>_lambda, error = min/max (P1 Sec. III B)"})
binned = binned_participation(modes, bins=an["mobility_bins"], spacing=an["mobility_spacing"])
write_table(binned, sm.output.binned, meta)
write_table(mobility_edge(binned, min_count=an["mobility_min_count"]), sm.output.edge, meta)
