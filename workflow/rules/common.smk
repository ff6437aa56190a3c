# Configuration: validated (schema + semantic checks) before any job is scheduled.
import json
import math

from glasstools.config import load_config, sample_seeds, snapshot_name, system_name, validate
from glasstools.lammps.partitions import throttle_env

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


def size_group(model, T):
    """Systems of one model and temperature that differ only in N (finite-size scaling)."""
    return sorted((n for n, s in SYSTEMS.items() if s["model"] == model and n.endswith(f"/T{T}")),
                  key=lambda n: SYSTEMS[n]["N"])


# (model, T) groups with at least two sizes: their mobility edge is computed
SIZE_GROUPS = sorted({(s["model"], n.rsplit("/T", 1)[1]) for n, s in SYSTEMS.items()
                      if len(size_group(s["model"], n.rsplit("/T", 1)[1])) > 1})


def mpi_env(tasks):
    """Environment for LAMMPS jobs: one OpenMP thread per rank; MPICH progress throttling
    when ranks exceed cores (glasstools.lammps.partitions.throttle_env)."""
    return " ".join(f"{k}={v}" for k, v in throttle_env(tasks, CORES).items())


wildcard_constraints:
    model="[a-z_0-9]+",
    N=r"\d+",
    T=r"[0-9.]+|inf",
    sample=r"\d+",
