# One job per sample: prepare (equilibrate or random start), then steepest descent.
SNAPSHOT_NAMES = [f"fixedW_{lw:+.1f}.lammpstrj" for lw in CFG["sd"]["logW_targets"]]


rule prepare:
    output:
        "results/{model}/N{N}/T{T}/s{sample}/start.data",
    log:
        "results/{model}/N{N}/T{T}/s{sample}/logs/prepare.lammps.log",
    params:
        seed=seed_of,
        mp=model_params,
        s=system,
        env=mpi_env(RANKS),
    threads: RANKS
    resources:
        tasks=RANKS,
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
        " --nve-time {params.s[equilibration][nve_time]}"
        " --log {log} -o {output}"


rule quench:
    input:
        "results/{model}/N{N}/T{T}/s{sample}/start.data",
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
        runtime=240,
    benchmark:
        "results/{model}/N{N}/T{T}/s{sample}/logs/quench.benchmark.tsv"
    shell:
        "{params.env} {resources.mpi} -n {resources.tasks} glasstools quench {input}"
        " --model {wildcards.model} --model-params '{params.mp}' --seed {params.seed}"
        " --dt {params.s[sd][dt]} --dt-start {params.s[sd][dt_start]} --t-start {params.s[sd][t_start]} --zeta {params.sd[zeta]} --logW {params.targets}"
        " --W-is {params.sd[W_is]} --max-time {params.s[sd][max_time]}"
        " --per-decade {params.sd[per_decade]} --meta '{params.meta}'"
        " --log {log} -o results/{wildcards.model}/N{wildcards.N}/T{wildcards.T}/s{wildcards.sample}/sd"
