# One job per sample: prepare (equilibrate or random start), then steepest descent.
SNAPSHOT_NAMES = [fixed_w_dump_name(lw) for lw in CFG["sd"]["logW_targets"]]


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
        data=SAMPLE + "/start.data",
        table=SAMPLE + "/prepare.parquet",
    log:
        lammps=LOGS + "/prepare.lammps.log",
        out=LOGS + "/prepare.log",
    params:
        seed=seed_of,
        mp=model_params,
        s=system,
        opts=prepare_options,
        T=lambda wc: t_label(system(wc)["T"]),
        env=lambda wc: mpi_env(prepare_ranks(wc)),
        meta=lambda wc: json.dumps({"config_seed": CFG["seed"], "sample": int(wc.sample)}),
    priority: size_priority
    threads: lambda wc: prepare_ranks(wc)
    resources:
        tasks=prepare_ranks,
        mpi="mpiexec",
        mem_mb=2000,
        runtime=60,
    benchmark:
        LOGS + "/prepare.benchmark.tsv"
    shell:
        "{params.env} {resources.mpi} -n {resources.tasks} glasstools prepare"
        " --model {params.s[model]} --model-params '{params.mp}' --dim {params.s[dim]} --N {params.s[N]}"
        " --density {params.s[density]} --T {params.T} --seed {params.seed}"
        " --dt {params.s[equilibration][dt]} --tdamp {params.s[equilibration][tdamp]}"
        " --nvt-time {params.s[equilibration][nvt_time]}"
        " --nve-time {params.s[equilibration][nve_time]}{params.opts}"
        " --meta '{params.meta}' --table {output.table}"
        " --log {log.lammps} -o {output.data} > {log.out} 2>&1"


rule quench:
    input:
        data=SAMPLE + "/start.data",
        prep=SAMPLE + "/prepare.parquet",
    output:
        traj=SAMPLE + "/sd/trajectory.parquet",
        snaps=SAMPLE + "/sd/snapshots.parquet",
        dumps=[SAMPLE + f"/sd/{name}" for name in SNAPSHOT_NAMES],
        IS=SAMPLE + "/sd/IS.lammpstrj",
    log:
        lammps=LOGS + "/quench.lammps.log",
        out=LOGS + "/quench.log",
    params:
        seed=seed_of,
        mp=model_params,
        s=system,
        sd=CFG["sd"],
        targets=" ".join(str(x) for x in CFG["sd"]["logW_targets"]),
        tol_schedule=lambda wc: (" --tol-late {tol_late} --tol-switch-W {tol_switch_W}".format(**system(wc)["sd"])
                                 if "tol_late" in system(wc)["sd"] else ""),
        env=mpi_env(RANKS),
        meta=lambda wc: json.dumps({"config_seed": CFG["seed"], "sample": int(wc.sample),
                                    "N": system(wc)["N"], "T": t_label(system(wc)["T"])}),
    priority: size_priority
    threads: RANKS
    resources:
        tasks=RANKS,
        mpi="mpiexec",
        mem_mb=2000,
        # SD to W = 1e-16 from T = 2: ~1.3e5 steps (dt 5e-4) at ~0.7 us per atom-step and rank
        runtime=lambda wc: 240 + system(wc)["N"] // 50,
    benchmark:
        LOGS + "/quench.benchmark.tsv"
    shell:
        "{params.env} {resources.mpi} -n {resources.tasks} glasstools quench {input.data}"
        " --model {params.s[model]} --model-params '{params.mp}' --dim {params.s[dim]} --seed {params.seed}"
        " --dt {params.s[sd][dt]} --dt-start {params.s[sd][dt_start]} --t-start {params.s[sd][t_start]} --zeta {params.sd[zeta]} --logW {params.targets}"
        " --W-is {params.sd[W_is]} --max-time {params.s[sd][max_time]}"
        " --integrator {params.s[sd][integrator]} --tol {params.s[sd][tol]}"
        " --snapshot-rtol {params.s[sd][snapshot_rtol]}{params.tol_schedule}"
        " --per-decade {params.sd[per_decade]} --meta '{params.meta}' --prepare-table {input.prep}"
        " --log {log.lammps} -o $(dirname {output.traj}) > {log.out} 2>&1"
