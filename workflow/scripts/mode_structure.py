"""Per-system statistics of the most unstable mode: profiles, xi(W), Lambda_min distribution,
cores (P1 Figs. 8-12, 19) from the per-sample INM tables (thin: I/O around glasstools)."""
import pandas as pd

from glasstools.analysis import mode_structure as ms
from glasstools.io import read_table, write_table
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
s, an = sm.params.s, sm.params.analysis


def load(paths):
    frames = [read_table(p) for p in paths]
    return pd.concat([f for f, _ in frames], ignore_index=True), frames[0][1]


summary, meta = load(sm.input.summary)
profiles, _ = load(sm.input.profiles)
cores, _ = load(sm.input.cores)
meta = {k: meta[k] for k in ("model", "reference", "units", "mode_units", "versions", "N", "profile_dr", "n_core") if k in meta}
meta.update({"system": dict(s), "config_seed": sm.params.seed, "n_samples": int(summary["sample"].nunique()),
             "mode": "lowest eigenpair of each fixed-W snapshot (a stable mode at the inherent structure, "
                     "logW_target = log10 W_is)"})
window = s["fit"]["xi_window"]
write_table(ms.profile_averages(profiles), sm.output.profiles, meta)
write_table(ms.correlation_lengths(profiles, window, n_boot=an["xi_bootstrap"], seed=sm.params.seed), sm.output.xi,
            {**meta, "xi_window": list(window), "fit": "d(r) = A (1/r^2 + 1/(xi r)) exp(-r/xi), P1 Eq. 12, "
             "least squares in ln d on the sample-mean profile; xi_err: bootstrap over samples"})
write_table(ms.core_energy_distribution(summary), sm.output.core_dist, meta)
write_table(ms.core_statistics(cores), sm.output.cores, meta)
