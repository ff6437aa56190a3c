"""Defects of one sample (P0 Sec. II E, Fig. 3): phi_i = 1 if particle i gains or loses a
neighbour (r_ij < c d_ij) between its equilibrium configuration (start.data) and its
steepest-descent IS (sd/IS.lammpstrj); D2_min (Falk-Langer) and displacements (thin: I/O around
glasstools.analysis.defects)."""
import pandas as pd

from glasstools.analysis import defects as dfx
from glasstools.geometry import wrap
from glasstools.io import read_table, write_table
from glasstools.lammps.dump import read_data_file, read_dump
from glasstools.models import get_model
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
s, cfg = sm.params.s, sm.params.defects
model = get_model(s["model"], **s["model_params"])
start = read_data_file(sm.input.data, dim=s["dim"])
fin = read_dump(sm.input.IS, dim=s["dim"])
_, qmeta = read_table(sm.input.snaps)
phi, d2, dr, info = dfx.sample_defects(start, fin, model, c=cfg["c"], d2min_cutoff=cfg["d2min_cutoff"],
                                       c_out=cfg.get("c_out"))  # optional hysteresis (not in P0)
x0 = wrap(start.positions, start.box_len, start.box_lo)
table = pd.DataFrame({"id": start.ids, "type": start.types,
                      "diameter": start.diameters if start.diameters is not None else model.pair_length(
                          start.types, start.types),
                      **{c: x0[:, k] for k, c in enumerate("xyz"[:start.dim])},
                      **{f"d{c}": dr[:, k] for k, c in enumerate("xyz"[:start.dim])},
                      "phi": phi, "d2min": d2})
meta = {**sm.params.meta, "system": dict(s), "model": model.describe(), "c": cfg["c"], "c_out": cfg.get("c_out"),
        "d2min_cutoff": cfg["d2min_cutoff"], **info, **dfx.sample_summary(phi, d2, dr),
        "box_lo": start.box_lo, "box_len": start.box_len, "dim": int(start.dim),
        "initial": sm.input.data, "final": sm.input.IS, "sd_converged": bool(qmeta["converged"]),
        "units": "reduced (lengths in sigma / mean diameter); diameter = d_ii of the model",
        "columns": "x, y, z: start configuration (wrapped); dx, dy, dz: r_IS - r_start (minimum image); "
                   "phi: 1 if i gains or loses a neighbour r_ij < c d_ij; d2min: Falk-Langer D2_min "
                   "between start and IS within d2min_radius (NaN: < D neighbours)",
        "reference": "P0 (Nishikawa et al. PRX 2022) Sec. II E; Falk & Langer PRE 57, 7192 (1998)"}
write_table(table, sm.output.particles, meta)
