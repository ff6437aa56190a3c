"""Inherent structure of one clone at t_w (P2 Fig. 7: clones brought to their IS after t_w)."""
import pandas as pd

from glasstools.io import read_table, write_table
from glasstools.lammps.clones import inherent_structure_at_tw
from glasstools.lammps.minimise import MinimiseSettings
from glasstools.models import get_model
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
s, mn = sm.params.s, sm.params.minimisers
method = s["clones"]["landscape"]["minimiser"]
frames, fmeta = read_table(sm.input.frames)
settings = MinimiseSettings(ftol=mn["ftol"], maxiter=mn["maxiter"], dmax=mn["dmax"])
r, k = inherent_structure_at_tw(get_model(s["model"], **sm.params.mp), sm.input.traj, frames, method, settings,
                                sm.output.IS, log=sm.log[0])
row = {"clone": int(sm.wildcards.clone), "sample": int(sm.wildcards.sample), "t_w": float(frames.loc[k, "t"]),
       **r.row()}
write_table(pd.DataFrame([row]), sm.output.table,
            {"system": dict(s), "clone_T": float(sm.wildcards.Tc), "minimiser": method,
             "settings": vars(settings), "source": sm.input.traj, "frame": k,
             "energy_units": "total potential energy (not per atom)"})
if not r.converged:
    print(f"warning: clone {sm.wildcards.clone} IS not converged ({r.stop}, max|F_i| = {r.fmax_atom:.3g}); "
          "flagged in the table (converged = False)")
