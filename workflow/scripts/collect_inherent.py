"""Per system: all samples' minimiser summaries and IS distances (with sample-averaged distances
per minimiser pair), and the defect statistics <phi>, chi = N Var_samples(phi) (P0 Sec. II E,
Fig. 4; Sec. III) (thin: I/O around glasstools)."""
import numpy as np
import pandas as pd

from glasstools.analysis.defects import defect_statistics
from glasstools.analysis.minimisers import is_distance_averages
from glasstools.io import read_table, write_table
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
s = sm.params.s
T = float(s["T"])


def load(paths):
    out, metas = [], []
    for p in paths:
        df, meta = read_table(p)
        out.append(df.assign(sample=int(meta["sample"])))
        metas.append(meta)
    return pd.concat(out, ignore_index=True), metas


summary, smeta = load(sm.input.summary)
dist, _ = load(sm.input.dist)
conv = summary.set_index(["sample", "method"])["converged"]
dist["converged_a"] = [bool(conv[(k, a)]) for k, a in zip(dist["sample"], dist["a"])]
dist["converged_b"] = [bool(conv[(k, b)]) for k, b in zip(dist["sample"], dist["b"])]
base = {"system": dict(s), "config_seed": sm.params.seed, "T": T, "N": int(s["N"]),
        "n_samples": len(smeta), **{k: smeta[0][k] for k in ("model", "settings", "methods", "units",
                                                             "delta", "de", "reference") if k in smeta[0]}}
write_table(summary, sm.output.minimisers,
            {**base, "note": "one row per (sample, method); non-converged minimisations kept "
                             "(columns converged, stop)"})
write_table(dist, sm.output.dist, base)
write_table(is_distance_averages(dist).assign(T=T, N=int(s["N"])), sm.output.dist_avg,
            {**base, "errors": "standard error over samples (ddof = 1)"})

frames, rows, dmeta = [], [], None
for p in sm.input.particles:
    df, meta = read_table(p)
    frames.append(df.sort_values("id")["phi"].to_numpy())
    rows.append({"sample": int(meta["sample"]), "sd_converged": meta["sd_converged"],
                 **{k: meta[k] for k in ("phi", "n_defects", "d2min_mean", "d2min_median", "n_d2min_nan",
                                         "msd_to_is", "max_displacement", "n_pairs_initial",
                                         "n_pairs_changed")}})
    dmeta = meta
samples = pd.DataFrame(rows)
dbase = {**base, **{k: dmeta[k] for k in ("c", "d2min_cutoff", "d2min_radius", "mean_diameter", "model")}}
write_table(samples, sm.output.samples, {**dbase, "phi": "(1/N) sum_i phi_i of the sample"})
stats = defect_statistics(np.array(frames))
stats.update({"model": s["model"], "T": T, "d2min_mean": float(samples["d2min_mean"].mean()),
              "msd_to_is": float(samples["msd_to_is"].mean()),
              "n_sd_not_converged": int((~samples["sd_converged"]).sum())})
write_table(pd.DataFrame([stats]), sm.output.stats,
            {**dbase, "definition": "phi_mean = <phi> over samples, phi = (1/N) sum_i phi_i; "
             "chi = N (<phi^2> - <phi>^2) over samples (ddof 0, P0 Fig. 4); chi_ddof1 = N Var(phi, ddof 1); "
             "phi_mean_err: standard error over samples; chi_err: jackknife over samples (>= 3)"})
