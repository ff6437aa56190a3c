# One job per sample: prepare (equilibrate or random start), then steepest descent.
SNAPSHOT_NAMES = [snapshot_name(lw) for lw in CFG["sd"]["logW_targets"]]


def prepare_ranks(wc):
    """MPI ranks of a prepare job. Hybrid swap runs on 1 rank: fix swap/diameter is exact on any
    rank count but takes one MPI_Allreduce per attempt, and with ~N attempts per sweep that
    latency dominates: benchmarks/swap_throughput.py measured 185k attempts/s on 1 rank and
    20k/s on 2 ranks (N = 1000; 94k/s vs 11k/s at N = 16000), while the MD part gains at most 2x.
    Everything else uses mpi_ranks."""
    return 1 if system(wc).get("swap") else RANKS


def prepare_options(wc):
    """Polydisperse-only options of ``glasstools prepare`` (diameters, phi, hybrid swap)."""
    s = system(wc)
    if "diameter_ratio" not in s:  # set by glasstools.config for every polydisperse system
        return ""
    opts = f" --diameter-ratio {s['diameter_ratio']!r} --diameter-sampling {s['diameter_sampling']}"
    if "packing_fraction" in s:
        opts += f" --packing-fraction {s['packing_fraction']!r}"
    if s.get("swap"):
        sw = s["swap"]
        opts += (f" --swap-every {sw['every']} --swap-attempts {sw['attempts_per_sweep']}"
                 f" --swap-delta {sw['delta']!r}")
    return opts


rule prepare:
    output:
        data="results/{model}/N{N}/T{T}/s{sample}/start.data",
        table="results/{model}/N{N}/T{T}/s{sample}/prepare.parquet",
    log:
        "results/{model}/N{N}/T{T}/s{sample}/logs/prepare.lammps.log",
    params:
        seed=seed_of,
        mp=model_params,
        s=system,
        opts=prepare_options,
        env=lambda wc: mpi_env(prepare_ranks(wc)),
        meta=lambda wc: json.dumps({"config_seed": CFG["seed"], "sample": int(wc.sample)}),
    threads: lambda wc: prepare_ranks(wc)
    resources:
        tasks=prepare_ranks,
        mpi="mpiexec",
        mem_mb=2000,
        runtime=60,
    benchmark:
        "results/{model}/N{N}/T{T}/s{sample}/logs/prepare.benchmark.tsv"
    shell:
        "{params.env} {resources.mpi} -n {resources.tasks} glasstools prepare"
        " --model {wildcards.model} --model-params '{params.mp}' --N {wildcards.N}"
        " --density {params.s[density]} --T {wildcards.T} --seed {params.seed}"
        " --dt {params.s[equilibration][dt]} --tdamp {params.s[equilibration][tdamp]}"
        " --nvt-time {params.s[equilibration][nvt_time]}"
        " --nve-time {params.s[equilibration][nve_time]}{params.opts}"
        " --meta '{params.meta}' --table {output.table}"
        " --log {log} -o {output.data}"


rule quench:
    input:
        data="results/{model}/N{N}/T{T}/s{sample}/start.data",
        prep="results/{model}/N{N}/T{T}/s{sample}/prepare.parquet",
    output:
        traj="results/{model}/N{N}/T{T}/s{sample}/sd/trajectory.parquet",
        snaps="results/{model}/N{N}/T{T}/s{sample}/sd/snapshots.parquet",
        dumps=expand("results/{{model}}/N{{N}}/T{{T}}/s{{sample}}/sd/{name}", name=SNAPSHOT_NAMES),
        IS="results/{model}/N{N}/T{T}/s{sample}/sd/IS.lammpstrj",
    log:
        "results/{model}/N{N}/T{T}/s{sample}/logs/quench.lammps.log",
    params:
        seed=seed_of,
        mp=model_params,
        s=system,
        sd=CFG["sd"],
        targets=" ".join(str(x) for x in CFG["sd"]["logW_targets"]),
        env=mpi_env(RANKS),
        meta=lambda wc: json.dumps({"config_seed": CFG["seed"], "sample": int(wc.sample),
                                    "N": int(wc.N), "T": wc.T}),
    threads: RANKS
    resources:
        tasks=RANKS,
        mpi="mpiexec",
        mem_mb=2000,
        # SD to W = 1e-16 from T = 2: ~1.3e5 steps (dt 5e-4) at ~0.7 us per atom-step and rank
        runtime=lambda wc: 240 + int(wc.N) // 50,
    benchmark:
        "results/{model}/N{N}/T{T}/s{sample}/logs/quench.benchmark.tsv"
    shell:
        "{params.env} {resources.mpi} -n {resources.tasks} glasstools quench {input.data}"
        " --model {wildcards.model} --model-params '{params.mp}' --seed {params.seed}"
        " --dt {params.s[sd][dt]} --dt-start {params.s[sd][dt_start]} --t-start {params.s[sd][t_start]} --zeta {params.sd[zeta]} --logW {params.targets}"
        " --W-is {params.sd[W_is]} --max-time {params.s[sd][max_time]}"
        " --per-decade {params.sd[per_decade]} --meta '{params.meta}' --prepare-table {input.prep}"
        " --log {log} -o results/{wildcards.model}/N{wildcards.N}/T{wildcards.T}/s{wildcards.sample}/sd"
