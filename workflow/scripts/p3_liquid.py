"""P3 glass: the equilibrium liquid at protocol.liquid_T (NVT) before the quench (thin: prepare_sample)."""
import pandas as pd

from glasstools.config import p3_models
from glasstools.io.tables import write_table
from glasstools.lammps.protocols import prepare_sample
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
p3, pr = sm.params.p3, sm.params.p3["protocol"]
model = p3_models(p3)["glass"]
info = prepare_sample(model, N=int(sm.wildcards.p3N), density=p3["density"], T=pr["liquid_T"],
                      seed=sm.params.seed, data_out=sm.output.data, log=sm.log[0], dt=pr["dt"],
                      tdamp=pr["tdamp"], nvt_time=pr["liquid_time"], nve_time=0.0)
write_table(pd.DataFrame([{k: v for k, v in info.items() if not isinstance(v, (dict, list))}]),
            sm.output.table, {"model": model.describe(), "protocol": pr, "stage": "P3 liquid (NVT)"})
