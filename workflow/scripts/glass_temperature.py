"""T_G of a system: where Delta_AB(t_w) = ratio * Delta(t_w, t_w + tau) across clone temperatures (P2)."""
import pandas as pd

from glasstools.analysis.landscape import glass_temperature
from glasstools.io import read_table, write_table
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
s = sm.params.s
tables = [read_table(p) for p in sm.input]
df = pd.concat([t for t, _ in tables], ignore_index=True).sort_values("T", ignore_index=True)
ratio = s["clones"]["T_G_ratio"]
tg = glass_temperature(df["T"], df["delta_ab"], df["delta"], ratio)
md = {k: tables[0][1][k] for k in ("system", "n_clones", "n_samples", "subset", "t_w", "units")}
md.update({"T_G": tg.value, "T_G_reason": tg.reason, "T_G_ratio": ratio,
           "definition": f"T_G: Delta_AB(t_w) / Delta(t_w, t_w + tau) = {ratio} (P2), linear interpolation in T"})
df["T_G"] = tg.value
write_table(df, sm.output[0], md)
print(f"{s['model']} N={s['N']}: T_G = {tg.value} {tg.reason}")
