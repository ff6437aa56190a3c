# Replica exchange (LAMMPS temper, glasstools.lammps.replica_exchange): one MPI job per system
# with a `remd` block (replicas x ranks_per_replica ranks, one partition per replica). Its
# samples (the configuration at the system's T after each sampling interval) become the
# systems' prepared samples, start.data + prepare.parquet, in place of the prepare rule
# (ruleorder), so the quench -> INM -> figures chain runs on them unchanged.
from glasstools.lammps.replica_exchange import REMDSettings
from glasstools.systems import sample_seed

REMD_SYSTEMS = sorted(n for n, s in SYSTEMS.items() if "remd" in s)
REMD = SYS + "/remd"
REMD_TABLES = ("pairs", "walkers", "energy_histograms", "temperatures", "samples", "trace")
# a regex that matches no name when there is no REMD system
REMD_NAMES = _one_of(REMD_SYSTEMS) if REMD_SYSTEMS else "(?!)"


def remd_ranks(wc):
    r = system(wc)["remd"]
    return r["replicas"] * r["ranks_per_replica"]


def remd_runtime(wc):
    """Minutes at 1 us per atom-step and core (KA-LJ: 0.7-1.5 Matom-step/s measured here), one
    core per rank."""
    s = system(wc)
    settings = REMDSettings.from_system(s)
    return 10 + int(1e-6 * s["N"] * settings.steps / settings.ranks_per_replica / 60)


rule remd:
    output:
        tables=[REMD + f"/{name}.parquet" for name in REMD_TABLES],
        samples=directory(REMD + "/samples"),
    log:
        out=SYS_LOGS + "/remd.log",
    params:
        s=system,
        seed=lambda wc: sample_seed(CFG["seed"], wc.system, "remd"),
        meta=lambda wc: {"config_seed": CFG["seed"], "system_name": wc.system},
    wildcard_constraints:
        system=REMD_NAMES,
    # the job starts its own mpiexec (resources.mpi: "srun" in the SLURM profile) with the
    # MPICH progress throttle when its ranks exceed the cores (glasstools.lammps.partitions)
    priority: 4 * TABLE_PRIORITY   # 2 ranks: both cores free at once, i.e. first
    threads: lambda wc: min(remd_ranks(wc), CORES)
    resources:
        tasks=remd_ranks,
        mpi="mpiexec",
        mem_mb=lambda wc: 300 * remd_ranks(wc),
        runtime=remd_runtime,
    benchmark:
        SYS_LOGS + "/remd.benchmark.tsv"
    script:
        "../scripts/remd_run.py"


rule remd_sample:
    """Sample k of the system's replica-exchange run as its prepared sample."""
    input:
        samples=REMD + "/samples",
        table=REMD + "/samples.parquet",
    output:
        data=SAMPLE + "/start.data",
        table=SAMPLE + "/prepare.parquet",
    wildcard_constraints:
        system=REMD_NAMES,
    localrule: True
    script:
        "../scripts/remd_sample.py"


ruleorder: remd_sample > prepare


rule figure_remd:
    input:
        pairs=lambda wc: f"{sys_dir(FLAT[wc.fig])}/remd/pairs.parquet",
        hist=lambda wc: f"{sys_dir(FLAT[wc.fig])}/remd/energy_histograms.parquet",
        trace=lambda wc: f"{sys_dir(FLAT[wc.fig])}/remd/trace.parquet",
    output:
        report(FIG + "_remd.png", category="Replica exchange"),
    log:
        out=FIG_LOG + "_remd.log",
    params:
        title=title,
    threads: 1
    benchmark:
        FIG_LOGS + "/figure_remd_{fig}.benchmark.tsv"
    script:
        "../scripts/figures_remd.py"


REMD_TARGETS = ([f"{sys_dir(n)}/remd/{t}.parquet" for n in REMD_SYSTEMS for t in REMD_TABLES]
                + [f"results/figures/{flat(n)}_remd.png" for n in REMD_SYSTEMS])
