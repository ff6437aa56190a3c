"""One P3 state: quench (glass) or perfect FCC (crystal), NVT anneal, NVE production (thin: vibration_run)."""
from glasstools.lammps.vibrations import VibrationSettings, vibration_run
from glasstools.models import from_spec
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
p3, wc = sm.params.p3, sm.wildcards
vibration_run(from_spec(sm.params.model), wc.p3kind, N=int(wc.p3N), density=p3["density"], T=float(wc.p3T),
              seed=sm.params.seed, dump_out=sm.output.traj, frames_out=sm.output.frames, log=sm.log[0],
              settings=VibrationSettings(**p3["protocol"]),
              liquid_data=sm.input.liquid[0] if sm.input.liquid else None,
              meta={"sample": int(wc.sample), "kind": wc.p3kind})
