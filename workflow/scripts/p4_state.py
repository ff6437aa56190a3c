"""One P4 state point (model, parent T_p): NVT Nose-Hoover equilibration and production with
dumps; dynamics of the largest species (F_s(q_max, t), MSD, tau_alpha at 0.2 and e^-1, D); the IS
ensemble quenched along the run with G and kappa per IS; optional IS-transition run (thin: I/O
around glasstools.lammps.protocols / minimise and glasstools.analysis)."""
import dataclasses
import time
from pathlib import Path

import numpy as np
import pandas as pd

from glasstools.analysis import dynamics as dyn
from glasstools.analysis.elasticity import ensemble_averages, inherent_response, random_dipoles
from glasstools.analysis.is_transitions import transitions
from glasstools.analysis.mesoelastic import T_BALLISTIC_OVER_T0, time_unit
from glasstools.io import write_table
from glasstools.lammps.dump import iter_dump, write_dump
from glasstools.lammps.minimise import MinimiseSettings, quench_frames
from glasstools.lammps.protocols import md_with_dumps, prepare_sample
from glasstools.lammps.scratch import scratch_dir
from glasstools.models import get_model
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
clock = [time.process_time()]


def lap(what):
    """CPU seconds of each stage in the job log (the demo budget is counted in CPU time)."""
    now = time.process_time()
    print(f"{what}: {now - clock[0]:.2f} s CPU", flush=True)
    clock[0] = now


m, seed = sm.params.m, int(sm.params.seed)
T = next(t for t in m["T"] if f"{t:g}" == sm.wildcards.p4T)
model = get_model(m["model"])
N, rho, dt, tau_nh = m["N"], m["density"], m["dt"], m["tau_nh"]
logs = Path(sm.log.out).parent
meta = {"model": model.describe(), "N": N, "density": rho, "T": T, "dt": dt, "tau_nh": tau_nh,
        "seed": seed, "config_seed": sm.params.config_seed, "p4": dict(m),
        "units": "reduced (m = k_B = 1): lengths sigma_AA, times sigma sqrt(m/eps), energies eps",
        "protocol": "NVT Nose-Hoover (fix nvt, damping tau_nh) equilibration from a random start, then "
                    "NVT production with unwrapped dumps every production.every (P4 Sec. II B, Table I)"}
prep = prepare_sample(model, N=N, density=rho, T=T, seed=seed, data_out=sm.output.start,
                      log=logs / "lammps.prepare.log", dt=dt, tdamp=tau_nh, nvt_time=m["equilibration"],
                      nve_time=0.0, overlap=m["overlap"])
lap("prepare (NVT equilibration)")
prod = m["production"]
large = model.largest_type()
state = {"T": T, "N": N, "density": rho, "large_type": large}
with scratch_dir(sm.output.state) as scratch:
    rows = md_with_dumps(model, sm.output.start, scratch / "md.lammpstrj", dt=dt, every=prod["every"],
                         t_end=prod["t_run"], log=logs / "lammps.md.log", T=T, tdamp=tau_nh)
    thermo = pd.DataFrame(rows)
    write_table(thermo, sm.output.thermo, meta)
    t_mean, t_err = dyn.block_mean(thermo["temp"].to_numpy()[1:])
    state.update(T_measured=t_mean, T_measured_err=t_err)
    frames = list(iter_dump(scratch / "md.lammpstrj"))
lap("production MD")

# dynamics of the largest species (P4: F_s at q_max of its S(q); tau_alpha at F_s = 0.2)
if m["dynamics"]:
    curves, row = dyn.species_relaxation(np.stack([f.positions for f in frames]), frames[0].box_len, prod["every"],
                                         frames[0].types == large, m["d_window"], m.get("q_max"))
    write_table(pd.DataFrame(curves), sm.output.dynamics,
                {**meta, "q_max": row["q_max"], "q_max_from": "config / P4 Table I" if "q_max" in m else
                 "first peak of S(q)", "q_max_S_q": row["q_max_S_q"], "selection": f"type {large} (largest species)",
                 "F_s": "(1/N_L) sum_i cos(q dr_i,a) averaged over x, y, z and time origins",
                 "t_0": time_unit(rho, T)})
    state.update(row)
else:
    write_table(pd.DataFrame({"t": [], "F_s": [], "msd": [], "msd_all": []}), sm.output.dynamics,
                {**meta, "skipped": "dynamics: false in the config"})

lap("dynamics analysis")

# IS ensemble of parent T: quench frames at t = every, 2 every, ... (P4: regular quenches)
inh = m["inherent"]
stride = int(round(inh["every"] / prod["every"]))
parents = frames[stride::stride][: inh["n"]]
settings = MinimiseSettings()
res = quench_frames(model, parents, inh["method"], settings, log=logs / "lammps.quench.log", fallback="fire")
lap("IS quench")
is_frames, rows = [], []
for k, (fr, r) in enumerate(zip(parents, res)):
    isf = dataclasses.replace(fr, positions=r.positions, images=None, velocities=None)
    is_frames.append(isf)
    G, kappa = inherent_response(isf, model, random_dipoles(isf, model, inh["dipoles"], seed + 1000 + k))
    rows.append({"is": k, "t_parent": fr.timestep * dt, "e_is": r.energy / N, "fmax": r.fmax_atom,
                 "converged": r.converged, "method": r.method, "G": G,
                 "kappa_mean": float(kappa.mean()), "kappa_median": float(np.median(kappa)),
                 "n_dipoles": len(kappa)})
write_dump(parents, sm.output.parents)
write_dump(is_frames, sm.output.IS)
inherent = pd.DataFrame(rows)
write_table(inherent, sm.output.inherent,
            {**meta, "minimiser": inh["method"], "fallback": "fire for IS whose first minimisation did not "
             "converge (method column)", "minimise_settings": vars(settings),
             "G": "athermal shear modulus (P4 Eq. A1), plane xy", "kappa": "dipole stiffness "
             "kappa_ij = (d.M^-1.d)/(d.M^-2.d) (P4 Eq. A4) over random interacting pairs"})
lap("G and kappa")
state.update(ensemble_averages(inherent))       # over converged IS only (the rest is flagged)

# IS transitions along MD (P4 Fig. 5): every frame quenched, jumps of U_IS (and r_IS)
tr = m.get("transitions")
if tr is not None and T in tr["T"]:
    with scratch_dir(sm.output.transitions) as scratch:
        md_with_dumps(model, sm.output.start, scratch / "tr.lammpstrj", dt=dt, every=tr["every"],
                      t_end=tr["t_run"], log=logs / "lammps.transitions_md.log", T=T, tdamp=tau_nh)
        trf = list(iter_dump(scratch / "tr.lammpstrj"))
    q_is = quench_frames(model, trf, inh["method"], settings, log=logs / "lammps.transitions_quench.log",
                         fallback="fire")
    table, rate = transitions([r.energy for r in q_is], [r.positions for r in q_is], trf[0].box_len, tr["every"],
                              tr["e_tol"], tr["r_tol"], N, T_BALLISTIC_OVER_T0 * time_unit(rho, T))
    write_table(table, sm.output.transitions,
                {**meta, "transitions": dict(tr), "rate": rate.row(), "minimiser": inh["method"],
                 "definition": "jump k-1 -> k: |U_IS(k) - U_IS(k-1)| > e_tol and |r_IS(k) - r_IS(k-1)| > r_tol "
                               "(3N-norm, minimum image); rate capped at 1 per sampling interval"})
    lap("transitions (MD + quench of every frame)")
    state.update({f"transition_{k}": v for k, v in rate.row().items() if k not in ("N",)})
else:
    write_table(pd.DataFrame({"t": [], "e_is": [], "dr_is": [], "jump": []}), sm.output.transitions,
                {**meta, "skipped": "no transitions at this T in the config"})
write_table(pd.DataFrame([state]), sm.output.state, meta)
