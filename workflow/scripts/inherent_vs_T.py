"""Defect statistics and IS distances versus the parent temperature for one (model, N)
(P0 Fig. 4 and Sec. III) (thin: concatenation of the per-system tables)."""
import pandas as pd

from glasstools.io import read_table, write_table
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)


def stack(paths):
    frames = [read_table(p) for p in paths]
    df = pd.concat([f for f, _ in frames], ignore_index=True).sort_values("T", kind="stable")
    meta = frames[0][1]
    keep = {k: meta[k] for k in ("model", "settings", "methods", "units", "delta", "de", "reference", "c",
                                 "d2min_cutoff", "definition", "errors", "config_seed", "N") if k in meta}
    keep["systems"] = [m["system"] for _, m in frames]
    return df.reset_index(drop=True), keep


defects, dmeta = stack(sm.input.stats)
write_table(defects, sm.output.defects, {**dmeta, "x": "T = parent (equilibrium) temperature"})
dist, meta = stack(sm.input.dist_avg)
write_table(dist, sm.output.dist, {**meta, "x": "T = parent (equilibrium) temperature"})
