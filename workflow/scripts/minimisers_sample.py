"""Inherent structures of one equilibrium sample (start.data) by LAMMPS minimize with each
configured minimiser, plus the IS of the steepest-descent dynamics (quench: sd/IS.lammpstrj,
method "sd_dynamics"), and their pairwise distances (P0 Sec. III, Fig. 5) (thin: I/O around
glasstools.lammps.minimise)."""
from pathlib import Path

from glasstools.configuration import check_same_particles
from glasstools.io import read_table
from glasstools.lammps.dump import read_data_file, read_dump
from glasstools.lammps.minimise import MinimiseSettings, evaluate, minimise_frame
from glasstools.models import get_model
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
s, cfg = sm.params.s, sm.params.settings
model = get_model(s["model"], **s["model_params"])
start = read_data_file(sm.input.data, dim=s["dim"])
sd_is = read_dump(sm.input.IS, dim=s["dim"])
check_same_particles(start, sd_is)
snaps, qmeta = read_table(sm.input.snaps)
row = snaps[snaps["file"] == Path(sm.input.IS).name].iloc[-1]
ok = bool(qmeta["converged"])
stop = (f"SD dynamics (quench): W = {row['W']:.3g} {'<=' if ok else 'not <='} W_is = {qmeta['W_is']:g}"
        f" at t = {row['t']:g}")
settings = MinimiseSettings(ftol=cfg["ftol"], maxiter=cfg["maxiter"], dmax=cfg["dmax"])
extra = {"sd_dynamics": evaluate(model, sd_is, "sd_dynamics", stop, ok, iterations=int(row["step"]),
                                 settings=settings)}
meta = {**sm.params.meta, "system": dict(s), "source": sm.input.data, "sd_dynamics_is": sm.input.IS,
        "methods": list(cfg["methods"]) + ["sd_dynamics"],
        "sd_dynamics": {k: qmeta.get(k) for k in ("W_is", "zeta", "dt", "converged", "pushes")},
        "reference": "P0 (Nishikawa et al. PRX 2022) Sec. III: CG, FIRE and SD reach different IS; "
                     "sd_dynamics row: iterations = SD steps of the quench, evaluations = -1"}
minimise_frame(model, start, Path(sm.output.summary).parent, cfg["methods"], settings, extra, meta)
