"""Inherent structures of one equilibrium sample (start.data) by LAMMPS minimize with each
configured minimiser, plus the IS of the steepest-descent dynamics (quench: sd/IS.lammpstrj,
method "sd_dynamics"), and their pairwise distances (P0 Sec. III, Fig. 5); then the sample's
defects (P0 Sec. II E, Fig. 3): phi_i = 1 if particle i gains or loses a neighbour (r_ij < c d_ij)
between start.data and the SD-dynamics IS, D2_min (Falk-Langer) and displacements (thin: I/O
around glasstools.lammps.minimise and glasstools.analysis.defects)."""
from pathlib import Path

import pandas as pd

from glasstools.analysis import defects as dfx
from glasstools.configuration import check_same_particles
from glasstools.geometry import wrap
from glasstools.io import read_table, write_table
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

# defects between start.data and the SD-dynamics IS
dcfg = sm.params.defects
phi, d2, dr, info = dfx.sample_defects(start, sd_is, model, c=dcfg["c"], d2min_cutoff=dcfg["d2min_cutoff"],
                                       c_out=dcfg.get("c_out"))  # optional hysteresis (not in P0)
x0 = wrap(start.positions, start.box_len, start.box_lo)
table = pd.DataFrame({"id": start.ids, "type": start.types,
                      "diameter": start.diameters if start.diameters is not None else model.pair_length(
                          start.types, start.types),
                      **{c: x0[:, k] for k, c in enumerate("xyz"[:start.dim])},
                      **{f"d{c}": dr[:, k] for k, c in enumerate("xyz"[:start.dim])},
                      "phi": phi, "d2min": d2})
meta = {**sm.params.meta, "system": dict(s), "model": model.describe(), "c": dcfg["c"], "c_out": dcfg.get("c_out"),
        "d2min_cutoff": dcfg["d2min_cutoff"], **info, **dfx.sample_summary(phi, d2, dr),
        "box_lo": start.box_lo, "box_len": start.box_len, "dim": int(start.dim),
        "initial": sm.input.data, "final": sm.input.IS, "sd_converged": bool(qmeta["converged"]),
        "units": "reduced (lengths in sigma / mean diameter); diameter = d_ii of the model",
        "columns": "x, y, z: start configuration (wrapped); dx, dy, dz: r_IS - r_start (minimum image); "
                   "phi: 1 if i gains or loses a neighbour r_ij < c d_ij; d2min: Falk-Langer D2_min "
                   "between start and IS within d2min_radius (NaN: < D neighbours)",
        "reference": "P0 (Nishikawa et al. PRX 2022) Sec. II E; Falk & Langer PRE 57, 7192 (1998)"}
write_table(table, sm.output.particles, meta)
