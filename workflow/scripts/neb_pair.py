"""Climbing-image NEB between the IS of two clones (P2); pairs in the same IS are skipped."""
from dataclasses import asdict

import pandas as pd

from glasstools.analysis.landscape import delta_ab
from glasstools.io import write_table
from glasstools.lammps.dump import read_dump
from glasstools.lammps.neb import NEBSettings, neb_between_dumps
from glasstools.models import get_model
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
s = sm.params.s
land = s["clones"]["landscape"]
settings = NEBSettings(**{k: v for k, v in land["neb"].items() if k != "stand_in"})
model = get_model(s["model"], **sm.params.mp)
stand_in = get_model(model.neb_stand_in, **sm.params.mp) if land["neb"]["stand_in"] else None
fa, fb = read_dump(sm.input.a), read_dump(sm.input.b)
d0 = delta_ab(fa.positions, fb.positions, fa.box_len)
meta = {"clone_a": int(sm.wildcards.a), "clone_b": int(sm.wildcards.b), "sample": int(sm.wildcards.sample),
        "clone_T": float(sm.wildcards.Tc), "delta0": d0, "same_tol": land["same_tol"], "system": dict(s)}
if d0 < land["same_tol"]:
    cols = ["image", "reaction_coord", "s", "energy", "pe_log", "fmax", "fnorm"]
    write_table(pd.DataFrame({c: pd.Series(dtype=float) for c in cols}), sm.output[0],
                {**meta, "skipped": True, "converged": True, "saddle_converged": True, "barrier": 0.0,
                 "stop": f"same IS: Delta0_AB = {d0:.3g} < same_tol", "settings": asdict(settings)})
else:
    with open(sm.log[0], "w") as log:
        log.write(f"NEB {sm.input.a} -> {sm.input.b}, Delta0_AB = {d0}\n")
    # resources.mpi: "mpiexec" (local: the venv's MPICH) or e.g. "srun" (SLURM profile)
    launcher = None if sm.resources.mpi == "mpiexec" else [sm.resources.mpi, "-n", "{ranks}"]
    res = neb_between_dumps(model, sm.input.a, sm.input.b, sm.output[0], settings=settings, stand_in=stand_in,
                            meta={**meta, "skipped": False}, on_failure="record", launcher=launcher)
    with open(sm.log[0], "a") as log:
        log.write("LAMMPS failure (recorded, barrier NaN)\n" if res is None else
                  f"V_AB = {res.barrier}, converged = {res.converged}, info = {res.info}\n")
