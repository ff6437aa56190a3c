# Configuration: validated (schema + semantic checks) before any job is scheduled.
# Paths: every results path is built here from a system's name (glasstools.config.system_name:
# {model}/N{N}/T{T}[_{label}]) or a group's; rules match them with the wildcards {system},
# {size_group} (systems differing only in N) and {T_group} (differing only in T), constrained
# to the configured names, and figures with their flat forms {fig} (name with "/" -> "_").
import json
import math
import re

from glasstools.config import (load_config, sample_seeds, size_group_name, system_name, t_label,
                               temperature_group_name, validate)
from glasstools.lammps.protocols import fixed_w_dump_name
from glasstools.lammps.partitions import throttle_env

CFG = validate(config)
SYSTEMS = {system_name(s): s for s in CFG["systems"]}
RANKS = CFG["mpi_ranks"]
CORES = os.cpu_count() or 1


def _groups(key):
    groups = {}
    for name, s in SYSTEMS.items():
        groups.setdefault(key(s), []).append(name)
    return {g: sorted(names, key=lambda n: (SYSTEMS[n]["N"], SYSTEMS[n]["T"])) for g, names in groups.items()}


SIZE_GROUP_MEMBERS = _groups(size_group_name)          # {model}/T{T}[_label] -> systems by N
T_GROUP_MEMBERS = _groups(temperature_group_name)      # {model}/N{N}[_label] -> systems by T
# size groups with at least two sizes: their mobility edge is computed
SIZE_GROUPS = sorted(g for g, names in SIZE_GROUP_MEMBERS.items() if len(names) > 1)


def flat(name):
    """Figure file stem of a system or group name."""
    return name.replace("/", "_")


FLAT = {flat(n): n for n in [*SYSTEMS, *SIZE_GROUP_MEMBERS, *T_GROUP_MEMBERS]}

# path patterns (wildcards) and their expansion for one system / sample
SYS = "results/{system}"
SAMPLE = SYS + "/s{sample}"
LOGS = SAMPLE + "/logs"
SYS_LOGS = SYS + "/logs"
FIG = "results/figures/{fig}"


def sys_dir(name):
    """Results directory of a system or group."""
    return f"results/{name}"


def sample_dirs(name):
    return [f"{sys_dir(name)}/s{k}" for k in range(SYSTEMS[name]["samples"])]


def per_sample(path):
    """Input function: ``path`` under every sample directory of the job's system."""
    return lambda wc: [f"{d}/{path}" for d in sample_dirs(wc.system)]


def system(wc):
    """The (validated) system dict of a job matched by {system} or {fig}."""
    return SYSTEMS[wc.system] if "system" in wc.keys() else SYSTEMS[FLAT[wc.fig]]


def seed_of(wc):
    return sample_seeds(CFG, system(wc))[int(wc.sample)]


def model_params(wc):
    return json.dumps(system(wc)["model_params"])


def title(wc):
    """Figure title: the system or group name, e.g. "ka_lj_fs, N500, T2"."""
    return FLAT[wc.fig].replace("/", ", ")


# Scheduling (priority: higher first among ready jobs; demo time, issue 15): the per-sample chain
# prepare -> quench -> inm / minimisers of the largest systems starts first (their jobs are the
# longest: N = 2000 minimisers ~80 s), so that the end of a run holds short jobs on both cores;
# the per-system tables and the figure families run as soon as their inputs exist (they end the
# run); the 2-rank remd and the clone/NEB and P3 chains start early (see their rules).
CHAIN_PRIORITY = 15     # start of a long dependency chain
TABLE_PRIORITY = 25     # per-system tables and figure families: the end of the run


def size_priority(wc):
    """Per-sample jobs: N / 100 (N = 2000: 20, N = 500: 5, N = 100: 1)."""
    return system(wc)["N"] // 100


def mpi_env(tasks):
    """Environment for LAMMPS jobs: one OpenMP thread per rank; MPICH progress throttling
    when ranks exceed cores (glasstools.lammps.partitions.throttle_env)."""
    return " ".join(f"{k}={v}" for k, v in throttle_env(tasks, CORES).items())


def _one_of(names):
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


wildcard_constraints:
    system=_one_of(SYSTEMS),
    size_group=_one_of(SIZE_GROUP_MEMBERS),
    T_group=_one_of(T_GROUP_MEMBERS),
    fig=_one_of(FLAT),
    sample=r"\d+",
