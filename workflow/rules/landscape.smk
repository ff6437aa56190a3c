# P2 clones and the landscape of a glass basin, for systems with a `clones:` section.
#   clone_md (one job per sample, clone temperature and clone) -> clone_overlaps (per system and
#   clone T: Delta_AB(t_w), Delta(t_w, t_w + tau), chi_AB) -> glass_temperature (T_G over clone T)
#   landscape T only: clone_is (IS of each clone at t_w) -> neb_pair (one MPI job per clone pair,
#   n_images + 2 ranks; pairs in the same IS are skipped inside the job) -> basin (matrices,
#   clustering) -> figures.
from glasstools.systems import sample_seed

wildcard_constraints:
    Tc=r"[0-9.]+",
    clone=r"\d+",
    a=r"\d+",
    b=r"\d+",


CLONE_SYSTEMS = [n for n, s in SYSTEMS.items() if "clones" in s]
CLONES = SAMPLE + "/clones/T{Tc}"             # one sample's clones at one clone temperature
CLONE = CLONES + "/c{clone}"
CLONE_SUMMARY = SYS + "/clones/T{Tc}"          # per system and clone temperature


def clones_of(wc):
    return system(wc)["clones"]


def clone_dir(name, sample, Tc):
    return f"{sys_dir(name)}/s{sample}/clones/T{Tc}"


def clone_temps(name):
    return [t_label(T) for T in SYSTEMS[name]["clones"]["T"]]


def landscape_T(name):
    land = SYSTEMS[name]["clones"].get("landscape")
    return None if land is None else t_label(land["T"])


def neb_ranks(wc):
    return system(wc)["clones"]["landscape"]["neb"]["n_images"] + 2


def clone_trajectories(wc):
    n = clones_of(wc)["n"]
    return [f"{clone_dir(wc.system, k, wc.Tc)}/c{c}/trajectory.lammpstrj"
            for k in range(system(wc)["samples"]) for c in range(n)]


def basin_dir(wc):
    return clone_dir(FLAT[wc.fig] if "fig" in wc.keys() else wc.system, wc.sample, wc.Tc)


def per_clone_T(path):
    """Input function: ``path`` under the per-system clone directory of every clone temperature."""
    return lambda wc: [f"{sys_dir(FLAT[wc.fig])}/clones/T{Tc}/{path}" for Tc in clone_temps(FLAT[wc.fig])]


rule clone_md:
    input:
        data=SAMPLE + "/start.data",
    output:
        traj=CLONE + "/trajectory.lammpstrj",
        frames=CLONE + "/frames.parquet",
    log:
        LOGS + "/clone_T{Tc}_c{clone}.lammps.log",
        out=LOGS + "/clone_T{Tc}_c{clone}.log",
    params:
        s=system,
        mp=lambda wc: system(wc)["model_params"],
        seed=lambda wc: sample_seed(CFG["seed"], wc.system, wc.sample, "clone", wc.Tc, wc.clone),
    priority: CHAIN_PRIORITY
    threads: 1
    resources:
        mem_mb=1000,
        runtime=240,
    benchmark:
        LOGS + "/clone_T{Tc}_c{clone}.benchmark.tsv"
    script:
        "../scripts/clone_md.py"


rule clone_overlaps:
    input:
        traj=clone_trajectories,
        frames=lambda wc: [p.replace("trajectory.lammpstrj", "frames.parquet") for p in clone_trajectories(wc)],
    output:
        wait=CLONE_SUMMARY + "/waiting.parquet",
        lag=CLONE_SUMMARY + "/lags.parquet",
        summary=CLONE_SUMMARY + "/summary.parquet",
    log:
        out=SYS_LOGS + "/clone_overlaps_T{Tc}.log",
    params:
        s=system,
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    benchmark:
        SYS_LOGS + "/clone_overlaps_T{Tc}.benchmark.tsv"
    script:
        "../scripts/clone_overlaps.py"


rule glass_temperature:
    input:
        lambda wc: [f"{sys_dir(wc.system)}/clones/T{Tc}/summary.parquet" for Tc in clone_temps(wc.system)],
    output:
        SYS + "/clones/glass_temperature.parquet",
    log:
        out=SYS_LOGS + "/glass_temperature.log",
    params:
        s=system,
    threads: 1
    benchmark:
        SYS_LOGS + "/glass_temperature.benchmark.tsv"
    script:
        "../scripts/glass_temperature.py"


rule clone_is:
    input:
        traj=rules.clone_md.output.traj,
        frames=rules.clone_md.output.frames,
    output:
        IS=CLONE + "/IS.lammpstrj",
        table=CLONE + "/IS.parquet",
    log:
        LOGS + "/clone_T{Tc}_c{clone}_IS.lammps.log",
        out=LOGS + "/clone_T{Tc}_c{clone}_IS.log",
    params:
        s=system,
        mp=lambda wc: system(wc)["model_params"],
        minimisers=CFG["minimisers"],
    priority: CHAIN_PRIORITY
    threads: 1
    resources:
        mem_mb=1000,
        runtime=60,
    benchmark:
        LOGS + "/clone_T{Tc}_c{clone}_IS.benchmark.tsv"
    script:
        "../scripts/clone_is.py"


rule neb_pair:
    input:
        a=CLONES + "/c{a}/IS.lammpstrj",
        b=CLONES + "/c{b}/IS.lammpstrj",
    output:
        CLONES + "/neb/{a}_{b}.parquet",
    log:
        LOGS + "/neb_T{Tc}_{a}_{b}.log",
        out=LOGS + "/neb_T{Tc}_{a}_{b}.out.log",
    params:
        s=system,
        mp=lambda wc: system(wc)["model_params"],
    # LAMMPS neb: one rank per replica (n_images + 2); the job starts its own mpiexec, with
    # the MPICH progress throttle when ranks exceed the cores (glasstools.lammps.partitions.mpi_env)
    priority: CHAIN_PRIORITY
    threads: lambda wc: min(neb_ranks(wc), CORES)
    resources:
        tasks=neb_ranks,
        mpi="mpiexec",
        mem_mb=lambda wc: 200 * neb_ranks(wc),
        runtime=600,
    benchmark:
        LOGS + "/neb_T{Tc}_{a}_{b}.benchmark.tsv"
    script:
        "../scripts/neb_pair.py"


rule basin:
    input:
        IS=lambda wc: [f"{basin_dir(wc)}/c{c}/IS.lammpstrj" for c in range(clones_of(wc)["n"])],
        tables=lambda wc: [f"{basin_dir(wc)}/c{c}/IS.parquet" for c in range(clones_of(wc)["n"])],
        neb=lambda wc: [f"{basin_dir(wc)}/neb/{a}_{b}.parquet" for a in range(clones_of(wc)["n"])
                        for b in range(a + 1, clones_of(wc)["n"])],
    output:
        pairs=CLONES + "/landscape_pairs.parquet",
        clones=CLONES + "/landscape_clones.parquet",
    log:
        out=LOGS + "/basin_T{Tc}.log",
    params:
        s=system,
    threads: 1
    benchmark:
        LOGS + "/basin_T{Tc}.benchmark.tsv"
    script:
        "../scripts/basin.py"


rule figure_clones:
    input:
        wait=per_clone_T("waiting.parquet"),
        lag=per_clone_T("lags.parquet"),
        tg=lambda wc: f"{sys_dir(FLAT[wc.fig])}/clones/glass_temperature.parquet",
    output:
        deltas=report(FIG + "_clones_deltas.png", category="Glass basin (clones)"),
        ratio=report(FIG + "_clones_TG.png", category="Glass basin (clones)"),
        chi=report(FIG + "_clones_chi.png", category="Glass basin (clones)"),
    log:
        out=FIG_LOG + "_clones.log",
    threads: 1
    benchmark:
        FIG_LOGS + "/figure_clones_{fig}.benchmark.tsv"
    script:
        "../scripts/figures_clones.py"


rule figure_basin:
    input:
        pairs=lambda wc: f"{basin_dir(wc)}/landscape_pairs.parquet",
        clones=lambda wc: f"{basin_dir(wc)}/landscape_clones.parquet",
        neb=lambda wc: [f"{basin_dir(wc)}/neb/{a}_{b}.parquet" for a in range(clones_of(wc)["n"])
                        for b in range(a + 1, clones_of(wc)["n"])],
    output:
        matrices=report(FIG + "_s{sample}_basin_T{Tc}_matrices.png", category="Glass basin (clones)"),
        profiles=report(FIG + "_s{sample}_basin_T{Tc}_neb.png", category="Glass basin (clones)"),
    log:
        out=FIG_LOG + "_s{sample}_basin_T{Tc}.log",
    threads: 1
    benchmark:
        FIG_LOGS + "/figure_basin_{fig}_s{sample}_T{Tc}.benchmark.tsv"
    script:
        "../scripts/figures_basin.py"


LANDSCAPE_TARGETS = (
    [f"results/figures/{flat(n)}_clones_{kind}.png" for n in CLONE_SYSTEMS for kind in ("deltas", "TG", "chi")]
    + [f"results/figures/{flat(n)}_s{k}_basin_T{landscape_T(n)}_{kind}.png"
       for n in CLONE_SYSTEMS if landscape_T(n) is not None
       for k in range(SYSTEMS[n]["samples"]) for kind in ("matrices", "neb")]
)
