"""INM of one sample's fixed-W snapshots and inherent structure (thin: I/O around glasstools)."""
from pathlib import Path

import pandas as pd
import scipy.sparse.linalg as spla

from glasstools.analysis.hessian import hessian
from glasstools.analysis.modes import inm
from glasstools.io import read_table, write_table
from glasstools.lammps.dump import read_dump
from glasstools.models import get_model

sm = snakemake  # noqa: F821
s = sm.params.s
model = get_model(s["model"], **s["model_params"])
snaps, meta = read_table(sm.input.snaps)
folder = Path(sm.input.snaps).parent
rows, modes = [], []
for snap in snaps.itertuples():
    fr = read_dump(folder / snap.file)
    H = hessian(fr.positions, fr.box_len, model, fr.types, fr.diameters)
    res = inm(H, fr.dim, dense_max_dof=sm.params.analysis["dense_max_dof"])
    lam_max = (res.eigenvalues.max() if res.method == "dense"
               else spla.eigsh(H.tocsr(), k=1, which="LA", return_eigenvectors=False)[0])
    rows.append({"sample": int(sm.wildcards.sample), "logW_target": snap.logW_target,
                 "is_inherent_structure": snap.file == "IS.lammpstrj", "t": snap.t, "W": snap.W,
                 "e_pot": snap.e_pot, "f_u": res.f_u, "n_unstable": res.n_unstable,
                 "n_modes": res.n_modes, "lambda_min": res.eigenvalues.min(),
                 "lambda_max": lam_max, "method": res.method, "zero_tol": res.tol})
    modes.append(pd.DataFrame({"sample": int(sm.wildcards.sample), "logW_target": snap.logW_target,
                               "lam": res.unstable_eigenvalues, "pr": res.unstable_pr}))
summary = pd.DataFrame(rows)
dt = meta["dt"]
meta = {**meta, "analysis": "instantaneous normal modes", "dense_max_dof": sm.params.analysis["dense_max_dof"],
        # explicit Euler is stable for dt < 2/lambda_max (largest over the saved snapshots)
        "euler_stability_dt_lambda_max_over_2": float(dt * summary["lambda_max"].max() / 2)}
write_table(summary, sm.output.summary, meta)
write_table(pd.concat(modes, ignore_index=True), sm.output.modes, meta)
