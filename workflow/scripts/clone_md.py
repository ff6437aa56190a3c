"""One clone of an equilibrium sample at a new temperature (P2): thin wrapper of run_clone."""
from glasstools.io import read_table
from glasstools.lammps.clones import CloneSettings, run_clone
from glasstools.models import get_model
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
s, c = sm.params.s, sm.params.s["clones"]
settings = CloneSettings(T=float(sm.wildcards.Tc), T_parent=s["T"], t_w=c["t_w"], tau=c["tau"],
                         dt=c["dt"], tau_B=c["tau_B"], per_decade=c["per_decade"])
run_clone(get_model(s["model"], **sm.params.mp), sm.input.data, sm.output.traj, sm.output.frames,
          settings, seed=sm.params.seed, log=sm.log[0],
          meta={"system": dict(s), "sample": int(sm.wildcards.sample), "clone": int(sm.wildcards.clone),
                "N": s["N"], "parent_T": s["T"]})
