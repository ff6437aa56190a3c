# Configuration: validated (schema + semantic checks) before any job is scheduled.
import json
import math

from glasstools.config import load_config, sample_seeds, system_name, validate

CFG = validate(config)
SYSTEMS = {system_name(s): s for s in CFG["systems"]}
RANKS = CFG["mpi_ranks"]
CORES = os.cpu_count() or 1


def system(wc):
    return SYSTEMS[f"{wc.model}/N{wc.N}/T{wc.T}"]


def seed_of(wc):
    return sample_seeds(CFG, system(wc))[int(wc.sample)]


def model_params(wc):
    return json.dumps(system(wc)["model_params"])


def sample_dirs(name):
    return [f"results/{name}/s{k}" for k in range(SYSTEMS[name]["samples"])]


def mpi_env(tasks):
    """Environment for LAMMPS jobs: one OpenMP thread per rank; MPICH progress throttling
    when ranks exceed cores (busy-polling otherwise costs ~50x, see LAMMPS_NOTES.md)."""
    env = "OMP_NUM_THREADS=1"
    if tasks > CORES:
        env += " MPIR_CVAR_CH4_PROGRESS_THROTTLE=1 MPIR_CVAR_CH4_PROGRESS_THROTTLE_NO_PROGRESS_COUNT=16"
    return env


wildcard_constraints:
    model="[a-z_0-9]+",
    N=r"\d+",
    T=r"[0-9.]+|inf",
    sample=r"\d+",
