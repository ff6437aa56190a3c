"""IS trajectory of one P3 run: FIRE of every frame in one LAMMPS session (thin: inherent_trajectory)."""
from pathlib import Path

from glasstools.lammps.minimise import MinimiseSettings
from glasstools.lammps.vibrations import inherent_trajectory
from glasstools.models import from_spec
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
p3, wc = sm.params.p3, sm.wildcards
inh = p3["inherent"]
inherent_trajectory(from_spec(sm.params.model), sm.input.traj, Path(sm.output.steps).parent,
                    dt=p3["protocol"]["dt"], settings=MinimiseSettings(ftol=inh["ftol"]), method=inh["method"],
                    threshold=inh["threshold"], energy_threshold=inh["energy_threshold"], window=inh["window"],
                    t_end=inh["t_end"], stride=inh["stride"], log=sm.log[0],
                    meta={"kind": wc.p3kind, "N": int(wc.p3N), "T": float(wc.p3T), "sample": int(wc.sample)})
