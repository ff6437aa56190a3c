# P2 clones and the landscape of a glass basin, for systems with a `clones:` section.
#   clone_md (one job per sample, clone temperature and clone) -> clone_overlaps (per system and
#   clone T: Delta_AB(t_w), Delta(t_w, t_w + tau), chi_AB) -> glass_temperature (T_G over clone T)
#   landscape T only: clone_is (IS of each clone at t_w) -> neb_pair (one MPI job per clone pair,
#   n_images + 2 ranks; pairs in the same IS are skipped inside the job) -> basin (matrices,
#   clustering) -> figures.
from glasstools.config import t_label
from glasstools.systems import sample_seed

wildcard_constraints:
    Tc=r"[0-9.]+",
    clone=r"\d+",
    a=r"\d+",
    b=r"\d+",


CLONE_SYSTEMS = [n for n, s in SYSTEMS.items() if "clones" in s]


def clones_of(wc):
    return system(wc)["clones"]


def clone_dir(name, sample, Tc):
    return f"results/{name}/s{sample}/clones/T{Tc}"


def clone_temps(name):
    return [t_label(T) for T in SYSTEMS[name]["clones"]["T"]]


def landscape_T(name):
    land = SYSTEMS[name]["clones"].get("landscape")
    return None if land is None else t_label(land["T"])


def neb_ranks(wc):
    return system(wc)["clones"]["landscape"]["neb"]["n_images"] + 2


def clone_trajectories(wc):
    name, n = f"{wc.model}/N{wc.N}/T{wc.T}", clones_of(wc)["n"]
    return [f"{clone_dir(name, k, wc.Tc)}/c{c}/trajectory.lammpstrj"
            for k in range(SYSTEMS[name]["samples"]) for c in range(n)]


def basin_dir(wc):
    return clone_dir(f"{wc.model}/N{wc.N}/T{wc.T}", wc.sample, wc.Tc)


rule clone_md:
    input:
        data="results/{model}/N{N}/T{T}/s{sample}/start.data",
    output:
        traj="results/{model}/N{N}/T{T}/s{sample}/clones/T{Tc}/c{clone}/trajectory.lammpstrj",
        frames="results/{model}/N{N}/T{T}/s{sample}/clones/T{Tc}/c{clone}/frames.parquet",
    log:
        "results/{model}/N{N}/T{T}/s{sample}/logs/clone_T{Tc}_c{clone}.lammps.log",
    params:
        s=system,
        mp=lambda wc: system(wc)["model_params"],
        seed=lambda wc: sample_seed(CFG["seed"], f"{wc.model}/N{wc.N}/T{wc.T}", wc.sample, "clone", wc.Tc, wc.clone),
    threads: 1
    resources:
        mem_mb=1000,
        runtime=240,
    benchmark:
        "results/{model}/N{N}/T{T}/s{sample}/logs/clone_T{Tc}_c{clone}.benchmark.tsv"
    script:
        "../scripts/clone_md.py"


rule clone_overlaps:
    input:
        traj=clone_trajectories,
        frames=lambda wc: [p.replace("trajectory.lammpstrj", "frames.parquet") for p in clone_trajectories(wc)],
    output:
        wait="results/{model}/N{N}/T{T}/clones/T{Tc}/waiting.parquet",
        lag="results/{model}/N{N}/T{T}/clones/T{Tc}/lags.parquet",
        summary="results/{model}/N{N}/T{T}/clones/T{Tc}/summary.parquet",
    params:
        s=system,
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    script:
        "../scripts/clone_overlaps.py"


rule glass_temperature:
    input:
        lambda wc: [f"results/{wc.model}/N{wc.N}/T{wc.T}/clones/T{Tc}/summary.parquet"
                    for Tc in clone_temps(f"{wc.model}/N{wc.N}/T{wc.T}")],
    output:
        "results/{model}/N{N}/T{T}/clones/glass_temperature.parquet",
    params:
        s=system,
    threads: 1
    script:
        "../scripts/glass_temperature.py"


rule clone_is:
    input:
        traj=rules.clone_md.output.traj,
        frames=rules.clone_md.output.frames,
    output:
        IS="results/{model}/N{N}/T{T}/s{sample}/clones/T{Tc}/c{clone}/IS.lammpstrj",
        table="results/{model}/N{N}/T{T}/s{sample}/clones/T{Tc}/c{clone}/IS.parquet",
    log:
        "results/{model}/N{N}/T{T}/s{sample}/logs/clone_T{Tc}_c{clone}_IS.lammps.log",
    params:
        s=system,
        mp=lambda wc: system(wc)["model_params"],
        minimisers=CFG["minimisers"],
    threads: 1
    resources:
        mem_mb=1000,
        runtime=60,
    script:
        "../scripts/clone_is.py"


rule neb_pair:
    input:
        a="results/{model}/N{N}/T{T}/s{sample}/clones/T{Tc}/c{a}/IS.lammpstrj",
        b="results/{model}/N{N}/T{T}/s{sample}/clones/T{Tc}/c{b}/IS.lammpstrj",
    output:
        "results/{model}/N{N}/T{T}/s{sample}/clones/T{Tc}/neb/{a}_{b}.parquet",
    log:
        "results/{model}/N{N}/T{T}/s{sample}/logs/neb_T{Tc}_{a}_{b}.log",
    params:
        s=system,
        mp=lambda wc: system(wc)["model_params"],
    # LAMMPS neb: one rank per replica (n_images + 2); the job starts its own mpiexec, with
    # the MPICH progress throttle when ranks exceed the cores (glasstools.lammps.partitions.mpi_env)
    threads: lambda wc: min(neb_ranks(wc), CORES)
    resources:
        tasks=neb_ranks,
        mpi="mpiexec",
        mem_mb=lambda wc: 200 * neb_ranks(wc),
        runtime=600,
    benchmark:
        "results/{model}/N{N}/T{T}/s{sample}/logs/neb_T{Tc}_{a}_{b}.benchmark.tsv"
    script:
        "../scripts/neb_pair.py"


rule basin:
    input:
        IS=lambda wc: [f"{basin_dir(wc)}/c{c}/IS.lammpstrj" for c in range(clones_of(wc)["n"])],
        tables=lambda wc: [f"{basin_dir(wc)}/c{c}/IS.parquet" for c in range(clones_of(wc)["n"])],
        neb=lambda wc: [f"{basin_dir(wc)}/neb/{a}_{b}.parquet" for a in range(clones_of(wc)["n"])
                        for b in range(a + 1, clones_of(wc)["n"])],
    output:
        pairs="results/{model}/N{N}/T{T}/s{sample}/clones/T{Tc}/landscape_pairs.parquet",
        clones="results/{model}/N{N}/T{T}/s{sample}/clones/T{Tc}/landscape_clones.parquet",
    params:
        s=system,
    threads: 1
    script:
        "../scripts/basin.py"


rule figure_clones:
    input:
        wait=lambda wc: [f"results/{wc.model}/N{wc.N}/T{wc.T}/clones/T{Tc}/waiting.parquet"
                         for Tc in clone_temps(f"{wc.model}/N{wc.N}/T{wc.T}")],
        lag=lambda wc: [f"results/{wc.model}/N{wc.N}/T{wc.T}/clones/T{Tc}/lags.parquet"
                        for Tc in clone_temps(f"{wc.model}/N{wc.N}/T{wc.T}")],
        tg="results/{model}/N{N}/T{T}/clones/glass_temperature.parquet",
    output:
        deltas=report("results/figures/{model}_N{N}_T{T}_clones_deltas.png", category="Glass basin (clones)"),
        ratio=report("results/figures/{model}_N{N}_T{T}_clones_TG.png", category="Glass basin (clones)"),
        chi=report("results/figures/{model}_N{N}_T{T}_clones_chi.png", category="Glass basin (clones)"),
    threads: 1
    script:
        "../scripts/figures_clones.py"


rule figure_basin:
    input:
        pairs=rules.basin.output.pairs,
        clones=rules.basin.output.clones,
        neb=rules.basin.input.neb,
    output:
        matrices=report("results/figures/{model}_N{N}_T{T}_s{sample}_basin_T{Tc}_matrices.png", category="Glass basin (clones)"),
        profiles=report("results/figures/{model}_N{N}_T{T}_s{sample}_basin_T{Tc}_neb.png", category="Glass basin (clones)"),
    threads: 1
    script:
        "../scripts/figures_basin.py"


LANDSCAPE_TARGETS = (
    [f"results/figures/{n.replace('/', '_')}_clones_{kind}.png" for n in CLONE_SYSTEMS
     for kind in ("deltas", "TG", "chi")]
    + [f"results/figures/{n.replace('/', '_')}_s{k}_basin_T{landscape_T(n)}_{kind}.png"
       for n in CLONE_SYSTEMS if landscape_T(n) is not None
       for k in range(SYSTEMS[n]["samples"]) for kind in ("matrices", "neb")]
)
