"""INM of one sample's fixed-W snapshots and inherent structure, and the spatial structure of
each snapshot's most unstable (lowest) mode (thin: I/O around glasstools)."""
from pathlib import Path

import numpy as np
import pandas as pd

from glasstools.analysis import mode_structure as ms
from glasstools.analysis.hessian import hessian
from glasstools.analysis.modes import inm, inm_options_for_store, stored_modes
from glasstools.io import read_table, write_table
from glasstools.io.modes import save_modes
from glasstools.linalg import lambda_max
from glasstools.lammps.dump import read_dump
from glasstools.models import get_model
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
s, an = sm.params.s, sm.params.analysis
sample = int(sm.wildcards.sample)
model = get_model(s["model"], **s["model_params"])
snaps, meta = read_table(sm.input.snaps)
folder = Path(sm.input.snaps).parent
store = an["store_modes"]
rows, modes, profiles, cores, stored = [], [], [], [], {}
for snap in snaps.itertuples():
    fr = read_dump(folder / snap.file, dim=s["dim"])
    pos = fr.positions - fr.box_lo
    H = hessian(fr, model)
    if store == "all" and H.shape[0] > an["dense_max_dof"]:
        raise ValueError(f"analysis.store_modes 'all' needs DN = {H.shape[0]} <= analysis.dense_max_dof "
                         f"= {an['dense_max_dof']} (all modes come from the dense path)")
    res = inm(H, fr.dim, dense_max_dof=an["dense_max_dof"], max_vectors=an["max_sparse_vectors"],
              **inm_options_for_store(store, n_lowest=1))
    lam_max = lambda_max(H.tocsr())
    # most unstable mode: the lowest eigenpair (a stable mode at an inherent structure)
    e, lam0 = res.vectors[:, 0], res.eigenvalues[0]
    r, d, counts = ms.decay_profile(e, pos, fr.box_len, an["profile_dr"])
    de = ms.local_harmonic_energies(e, fr, model)
    lam_r, lam_min, r_min, core = ms.energy_profile(de, pos, fr.box_len, r)
    de_core, r_core = ms.core_energies(de, pos, fr.box_len, an["n_core"])
    key = {"sample": sample, "logW_target": snap.logW_target}
    kept = stored_modes(res, H, store, {**key, "file": snap.file, "t": snap.t, "W": snap.W})
    if kept is not None:
        stored[snap.file] = kept
    rows.append({**key, "is_inherent_structure": snap.file == "IS.lammpstrj", "t": snap.t, "W": snap.W,
                 "e_pot": snap.e_pot, "f_u": res.f_u, "n_unstable": res.n_unstable,
                 "n_unstable_resolved": res.n_unstable_resolved, "n_modes": res.n_modes,
                 "lambda_min": lam0, "pr_lowest": res.pr[0], "lambda_max": lam_max, "method": res.method,
                 "zero_tol": res.tol, "Lambda_min": lam_min, "r_Lambda_min": r_min,
                 "sum_rule_residual": float(de.sum() - lam0),
                 "core_shift": float(ms.distances_from(pos, fr.box_len, core)[int(np.argmax(
                     np.linalg.norm(e.reshape(fr.n, -1), axis=1)))])})
    modes.append(pd.DataFrame({**key, "lam": res.unstable_eigenvalues, "pr": res.unstable_pr}))
    profiles.append(pd.DataFrame({**key, "r": r, "d": d, "count": counts, "Lambda": lam_r}))
    cores.append(pd.DataFrame({**key, "rank": np.arange(1, len(de_core) + 1), "dE": de_core, "r": r_core}))
summary = pd.DataFrame(rows)
if not np.allclose(summary["sum_rule_residual"], 0.0, atol=1e-8 * summary["lambda_max"].abs().max()):
    raise RuntimeError(f"sum rule sum_i dE_i = lambda violated: {summary['sum_rule_residual'].tolist()}")
dt = meta["dt"]
meta = {**meta, "analysis": "instantaneous normal modes", **{k: an[k] for k in (
            "dense_max_dof", "max_sparse_vectors", "profile_dr", "n_core", "store_modes")},
        "N": int(fr.n), "dim": int(fr.dim),
        "mode_units": "lambda in epsilon/sigma^2 (m = 1); r in sigma; dE, Lambda in epsilon/sigma^2",
        # explicit Euler is stable for dt < 2/lambda_max (largest over the saved snapshots)
        "euler_stability_dt_lambda_max_over_2": float(dt * summary["lambda_max"].max() / 2)}
write_table(summary, sm.output.summary, meta)
write_table(pd.concat(modes, ignore_index=True), sm.output.modes, meta)
write_table(pd.concat(profiles, ignore_index=True), sm.output.profiles,
            {**meta, "definition": "d(r): P1 Eq. C1 (median |e_i| in shells around max |e_i|); "
                                   "Lambda(r): P1 Eq. C3 around the most negative dE_i"})
write_table(pd.concat(cores, ignore_index=True), sm.output.cores,
            {**meta, "definition": "P1 App. D: the n_core most negative dE_i and distance from the first"})
save_modes(sm.output.stored_modes, stored, {**meta, "definition": "eigenpairs of each snapshot's Hessian (one set "
                                             "per snapshot file): analysis.store_modes of them, with solver settings"})
