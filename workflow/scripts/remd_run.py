"""Replica-exchange MD of one system (LAMMPS temper): samples at the target T and the run's tables."""
from pathlib import Path

from glasstools.lammps.replica_exchange import REMDSettings, run_replica_exchange, write_tables
from glasstools.models import get_model
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
s = sm.params.s
settings = REMDSettings.from_system(s)
# resources.mpi: "mpiexec" (local: the venv's MPICH) or e.g. "srun" (SLURM profile)
launcher = None if sm.resources.mpi == "mpiexec" else [sm.resources.mpi, "-n", "{ranks}"]
outdir = Path(sm.output.samples).parent
# stop at a checkpoint after 90 % of the job's runtime (minutes); a rerun or retry resumes
res = run_replica_exchange(get_model(s["model"], **s["model_params"]), N=s["N"], density=s["density"],
                           settings=settings, seed=sm.params.seed, outdir=outdir, dim=s["dim"],
                           launcher=launcher, wall_limit=0.9 * 60 * sm.resources.runtime)
write_tables(res, outdir, {**sm.params.meta, "system": dict(s)})
print(res.pairs.to_string(), res.walkers.to_string(), sep="\n")
print(f"wall {res.wall:.1f} s; replayed trials not reproduced: {res.meta['replayed_trials_not_reproduced']}")
