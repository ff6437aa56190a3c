"""MSD, MD mode lifetimes and three-phonon theory of one P3 run (thin: mode_lifetimes)."""
from pathlib import Path

from glasstools.io import read_table
from glasstools.lammps.vibrations import mode_lifetimes
from glasstools.models import from_spec
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
p3, wc = sm.params.p3, sm.wildcards
life = p3["lifetimes"]
summary, _ = read_table(sm.input.summary)
mode_lifetimes(from_spec(sm.params.model), sm.input.traj, sm.input.IS0, sm.input.frames,
               Path(sm.output.modes).parent, T=float(wc.p3T), rearranges=bool(summary["rearranges"].iloc[0]),
               bin_width=life["bin_width"], max_lag_fraction=life["max_lag_fraction"], theory=p3["theory"],
               theory_stride=life["theory_stride"],
               meta={"kind": wc.p3kind, "N": int(wc.p3N), "sample": int(wc.sample)})
