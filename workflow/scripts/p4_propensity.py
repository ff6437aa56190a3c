"""Isoconfigurational propensity at one parent temperature of a P4 model: runs with fresh
Maxwell-Boltzmann velocities from the parents of the first IS, mobility at tau_alpha/10, local
kappa_i of their IS, Spearman C_s(1/kappa_i, mobility) per species, most / least mobile large
particles (P4 Sec. III B, Figs. 6-7) (thin: glasstools.lammps.isoconfigurational +
glasstools.analysis.propensity / elasticity)."""
from pathlib import Path

import numpy as np
import pandas as pd

from glasstools.analysis.elasticity import dipole_stiffness, interacting_pairs, local_stiffness
from glasstools.analysis.propensity import mobility, mobility_extremes, spearman_by_species
from glasstools.io import read_table, write_table
from glasstools.lammps.dump import iter_dump
from glasstools.lammps.isoconfigurational import isoconfigurational_displacements
from glasstools.models import get_model
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
m, seed = sm.params.m, int(sm.params.seed)
pr = m["propensity"]
model = get_model(m["model"])
state, smeta = read_table(sm.input.state)
st = state.iloc[0]
if not st["tau_alpha_reached"]:
    raise ValueError(f"{sm.input.state}: tau_alpha not reached at T = {st['T']} (F_s > 0.2 at the end of "
                     "the run); lengthen production.t_run or choose another propensity T")
t_mob = pr["time_fraction"] * float(st["tau_alpha"])
large = int(st["large_type"])
radius = (float(model.pair_terms(np.array([large]), np.array([large])).cutoff[0]) if model.is_pair
          else model.max_cutoff())
n_conf = pr["configurations"]
parents = list(iter_dump(sm.input.parents))[:n_conf]
inherent = list(iter_dump(sm.input.IS))[:n_conf]
parts, cs_rows = [], []
for c, (fr, isf) in enumerate(zip(parents, inherent)):
    disp = isoconfigurational_displacements(model, fr, T=float(st["T"]), t=t_mob, runs=pr["runs"],
                                            seed=seed + 1000 * c, dt=m["dt"], tdamp=m["tau_nh"],
                                            log=Path(sm.log.out).parent / f"lammps.propensity{c}.log")
    mu = mobility(np.zeros_like(fr.positions), disp, pr["kind"])
    pairs = interacting_pairs(isf, model)          # kappa_i needs every pair (P4 App. A)
    kap = local_stiffness(pairs, dipole_stiffness(isf, model, pairs), isf.n)
    most, least = mobility_extremes(mu, fr.positions, fr.box_len, fr.types == large, radius, pr["n_extremes"])
    ext = np.full(fr.n, "", dtype=object)
    ext[most], ext[least] = "most", "least"
    parts.append(pd.DataFrame({"config": c, "id": fr.ids, "type": fr.types, "mobility": mu, "kappa_i": kap,
                               "inv_kappa_i": 1.0 / kap, "extreme": ext.astype(str)}))
    cs = spearman_by_species(1.0 / kap, mu, fr.types)
    cs_rows += [{"config": c, "type": t, "C_s": v} for t, v in cs.items()]
cs = pd.DataFrame(cs_rows)
per_config = cs.groupby("config")["C_s"].mean()
meta = {**{k: smeta[k] for k in ("model", "N", "density", "T", "dt", "tau_nh", "units") if k in smeta},
        "propensity": dict(pr), "t_mobility": t_mob, "tau_alpha": float(st["tau_alpha"]), "seed": seed,
        "mobility": "<|r_i(t) - r_i(0)|> over runs" if pr["kind"] == "abs" else "<|r_i(t) - r_i(0)|^2> over runs",
        "runs": "NVT Nose-Hoover (tau_nh) from the parent configuration of IS k, fresh Maxwell velocities "
                "(seed + 1000 k + run)", "extremes": f"local maxima / minima of the mobility among type "
                f"{large} within r = {radius:.4g} (large-large cutoff), the {pr['n_extremes']} most / least mobile",
        "kappa_i": "local dipole stiffness of the IS (P4 App. A: mean of kappa_ij over the interacting pairs of i)",
        "C_s_species": {int(t): float(v) for t, v in cs.groupby("type")["C_s"].mean().items()},
        "C_s_ensemble": float(per_config.mean()),
        "C_s_definition": "Spearman rank correlation of 1/kappa_i and mobility per species (scipy.stats.spearmanr); "
                          "ensemble = mean over configurations of the species average (P4 Fig. 7)"}
print("C_s:", meta["C_s_species"], "ensemble:", meta["C_s_ensemble"])
write_table(pd.concat(parts, ignore_index=True), sm.output.particles, meta)
write_table(cs, sm.output.spearman, meta)
