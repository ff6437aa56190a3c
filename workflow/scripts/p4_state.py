"""One P4 state point (model, parent T_p): NVT Nose-Hoover equilibration and production with
dumps; dynamics of the largest species (F_s(q_max, t), MSD, tau_alpha at 0.2 and e^-1, D); the IS
ensemble quenched along the run with G and kappa per IS; optional IS-transition run (thin: I/O
around glasstools.lammps.protocols / minimise and glasstools.analysis)."""
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd

from glasstools.analysis import dynamics as dyn
from glasstools.analysis.elasticity import dipole_stiffness, hessian_factor, random_dipoles, shear_modulus
from glasstools.analysis.is_trajectory import displacement_field, field_norm
from glasstools.analysis.is_transitions import is_jumps, transition_rate
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
large = 1 if model.ntypes == 1 else 1 + int(np.argmax([model.pair_length(t, t) for t in
                                                       range(1, model.ntypes + 1)]))
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
pos = np.stack([f.positions for f in frames])
sel = frames[0].types == large
if m["dynamics"]:
    step = max(1, len(frames) // 10)
    q_sq = float(np.median([dyn.first_peak_q(f.positions, f.box_len, sel) for f in frames[::step]]))
    q, q_from = (m["q_max"], "config / P4 Table I") if "q_max" in m else (q_sq, "first peak of S(q)")
    curves, summ = dyn.alpha_relaxation(pos, prod["every"], q, sel, m["d_window"],
                                        origin_stride=max(1, len(frames) // 200))
    msd_all = dyn.mean_squared_displacement(pos, None, np.rint(curves["t"] / prod["every"]).astype(int),
                                            max(1, len(frames) // 200))
    write_table(pd.DataFrame({**curves, "msd_all": msd_all}), sm.output.dynamics,
                {**meta, "q_max": q, "q_max_from": q_from, "q_max_S_q": q_sq, "selection": f"type {large} (largest species)",
                 "F_s": "(1/N_L) sum_i cos(q dr_i,a) averaged over x, y, z and time origins",
                 "t_0": time_unit(rho, T)})
    tau2, taue, D = summ["tau_0.2"], summ[f"tau_{math.exp(-1):.4g}"], summ["D"]
    state.update(q_max=q, q_max_S_q=q_sq, tau_alpha=tau2.tau, tau_alpha_reached=tau2.reached,
                 tau_alpha_lower_bound=tau2.lower_bound, tau_e=taue.tau, D=D.D, D_err=D.D_err,
                 D_window_lo=D.t_window[0], D_window_hi=D.t_window[1])
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
is_frames = []
rows = []
for k, (fr, r) in enumerate(zip(parents, res)):
    isf = type(fr)(r.positions, fr.box_len, fr.types, ids=fr.ids, box_lo=fr.box_lo, diameters=fr.diameters,
                   timestep=fr.timestep)
    is_frames.append(isf)
    pairs = random_dipoles(isf, model, inh["dipoles"], seed + 1000 + k)
    with hessian_factor(isf, model) as factor:      # one factorisation for G and every kappa_ij
        G = shear_modulus(isf, model, factor=factor)
        kappa = dipole_stiffness(isf, model, pairs, factor=factor)
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
ok = inherent[inherent["converged"]]          # averages over converged IS only (the rest is flagged)
n_is = len(ok)
state.update(n_is=n_is, e_is=ok["e_is"].mean(), G=ok["G"].mean(),
             G_err=ok["G"].std(ddof=1) / math.sqrt(n_is) if n_is > 1 else math.nan,
             kappa=ok["kappa_mean"].mean(),
             kappa_err=ok["kappa_mean"].std(ddof=1) / math.sqrt(n_is) if n_is > 1 else math.nan,
             n_unconverged_is=int((~inherent["converged"]).sum()),
             n_fallback_is=int(inherent["method"].str.contains("+", regex=False).sum()))

# IS transitions along MD (P4 Fig. 5): every frame quenched, jumps of U_IS (and r_IS)
tr = m.get("transitions")
if tr is not None and T in tr["T"]:
    with scratch_dir(sm.output.transitions) as scratch:
        md_with_dumps(model, sm.output.start, scratch / "tr.lammpstrj", dt=dt, every=tr["every"],
                      t_end=tr["t_run"], log=logs / "lammps.transitions_md.log", T=T, tdamp=tau_nh)
        trf = list(iter_dump(scratch / "tr.lammpstrj"))
    q_is = quench_frames(model, trf, inh["method"], settings, log=logs / "lammps.transitions_quench.log",
                         fallback="fire")
    e = np.array([r.energy for r in q_is])
    dr = np.array([field_norm(displacement_field(a.positions, b.positions, trf[0].box_len))
                   for a, b in zip(q_is[:-1], q_is[1:])])         # |Delta r_IS|, P3 Eq. (5)
    jumps = is_jumps(e, tr["e_tol"], dr, tr["r_tol"])
    t_b = T_BALLISTIC_OVER_T0 * time_unit(rho, T)
    rate = transition_rate(jumps, tr["every"], N, t_b)
    write_table(pd.DataFrame({"t": np.arange(len(e)) * tr["every"], "e_is": e / N,
                              "dr_is": np.concatenate([[0.0], dr]), "jump": np.concatenate([[False], jumps])}),
                sm.output.transitions,
                {**meta, "transitions": dict(tr), "rate": rate.row(), "minimiser": inh["method"],
                 "definition": "jump k-1 -> k: |U_IS(k) - U_IS(k-1)| > e_tol and |r_IS(k) - r_IS(k-1)| > r_tol "
                               "(3N-norm, minimum image); rate capped at 1 per sampling interval"})
    lap("transitions (MD + quench of every frame)")
    state.update({f"transition_{k}": v for k, v in rate.row().items() if k not in ("N",)})
else:
    write_table(pd.DataFrame({"t": [], "e_is": [], "dr_is": [], "jump": []}), sm.output.transitions,
                {**meta, "skipped": "no transitions at this T in the config"})
write_table(pd.DataFrame([state]), sm.output.state, meta)
