"""Delta_AB(t_w), Delta(t_w, t_w + tau) and chi_AB of all clones of a system at one clone T (P2)."""
import numpy as np
import pandas as pd

from glasstools.analysis.landscape import clone_distances, clone_ensemble, largest_half
from glasstools.io import read_table, write_table
from glasstools.lammps.clones import read_trajectory
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
s = sm.params.s
n_c, n_s = s["clones"]["n"], s["samples"]
frames, meta = read_table(sm.input.frames[0])
wait = frames.index[frames["kind"] != "lag"].to_numpy()   # origin (t_w = 0) and the waiting times
lag = frames.index[frames["kind"] == "lag"].to_numpy()
ref = int(wait[-1])                                        # t_w: the reference of every lag
samples = []
for k in range(n_s):
    trajs, subset = [], None
    for c in range(n_c):
        f, _ = read_table(sm.input.frames[k * n_c + c])
        if not np.allclose(f["t"], frames["t"]):
            raise ValueError(f"{sm.input.frames[k * n_c + c]}: time grid differs from {sm.input.frames[0]}")
        x, first = read_trajectory(sm.input.traj[k * n_c + c])
        trajs.append(x)
        if c == 0:
            # P2: the N/2 largest particles (all particles for models without diameters)
            subset = largest_half(first.diameters) if first.diameters is not None else None
    samples.append(clone_distances(np.stack(trajs), wait, ref, lag, subset))
w, l, chi = clone_ensemble(samples, frames.loc[wait, "t"], frames.loc[lag, "tau"])
Tc = float(sm.wildcards.Tc)
md = {"system": dict(s), "clone_T": Tc, "n_clones": n_c, "n_samples": n_s,
      "subset": "N/2 largest particles" if subset is not None else "all particles",
      "t_w": float(frames.loc[ref, "t"]), "clone_settings": meta.get("settings"),
      "definitions": "Delta_AB(t_w) = (1/N_b) sum_i |r_i^A(t_w) - r_i^B(t_w)|^2, Delta(t_w, t_w + tau) = "
                     "(1/N_b) sum_i |r_i(t_w + tau) - r_i(t_w)|^2 (P2 Eqs. 2-3), unwrapped positions; "
                     "errors: standard error over samples (>= 2) else over pairs/clones",
      "chi_ab": chi.value, "chi_ab_reason": chi.reason, "units": "lengths in <d>, times in LJ units"}
write_table(w, sm.output.wait, md)
write_table(l, sm.output.lag, md)
last_w, last_l = w.iloc[-1], l.iloc[-1]
write_table(pd.DataFrame([{"T": Tc, "t_w": last_w["t_w"], "tau": last_l["tau"],
                           "delta_ab": last_w["delta_ab"], "delta_ab_err": last_w["delta_ab_err"],
                           "delta": last_l["delta"], "delta_err": last_l["delta_err"],
                           "ratio": last_w["delta_ab"] / last_l["delta"], "chi_ab": chi.value,
                           "chi_ab_reason": chi.reason}]), sm.output.summary, md)
