# Instantaneous normal modes of every fixed-W snapshot (and the structure of its lowest mode),
# then per-system tables and fits, and the mobility edge across system sizes.


rule inm:
    input:
        snaps=SAMPLE + "/sd/snapshots.parquet",
        dumps=rules.quench.output.dumps,
        IS=rules.quench.output.IS,
    output:
        summary=SAMPLE + "/inm/summary.parquet",
        modes=SAMPLE + "/inm/unstable_modes.parquet",
        profiles=SAMPLE + "/inm/lowest_mode_profiles.parquet",
        cores=SAMPLE + "/inm/lowest_mode_cores.parquet",
        stored_modes=SAMPLE + "/inm/modes.npz",
    params:
        s=system,
        analysis=CFG["analysis"],
    priority: size_priority
    threads: 1
    resources:
        # benchmarks/inm_scaling.py: one snapshot peaks at 0.9 / 2.0 / 5.0 GB and takes 21 / 89 / 403 s
        # for N = 8000 / 16000 / 32000 (2 cores); every fixed-W level of the sample runs in this job
        mem_mb=lambda wc: 2000 + system(wc)["N"] // 4,
        runtime=lambda wc: 60 + system(wc)["N"] // 50,
    log:
        out=LOGS + "/inm.log",
    benchmark:
        LOGS + "/inm.benchmark.tsv"
    script:
        "../scripts/inm_sample.py"


rule collect:
    input:
        traj=per_sample("sd/trajectory.parquet"),
        inm=per_sample("inm/summary.parquet"),
        modes=per_sample("inm/unstable_modes.parquet"),
    output:
        traj=SYS + "/trajectory.parquet",
        fixed=SYS + "/fixedW.parquet",
        ensemble=SYS + "/ensemble.parquet",
        fixed_avg=SYS + "/fixedW_averages.parquet",
        spectra=SYS + "/unstable_spectra.parquet",
        flat=SYS + "/flatness.parquet",
        fits=SYS + "/fits.parquet",
    log:
        out=SYS_LOGS + "/collect.log",
    params:
        s=system,
        sd=CFG["sd"],
        analysis=CFG["analysis"],
        seed=CFG["seed"],
    priority: TABLE_PRIORITY
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    benchmark:
        SYS_LOGS + "/collect.benchmark.tsv"
    script:
        "../scripts/collect.py"


rule mode_structure:
    input:
        summary=per_sample("inm/summary.parquet"),
        profiles=per_sample("inm/lowest_mode_profiles.parquet"),
        cores=per_sample("inm/lowest_mode_cores.parquet"),
    output:
        profiles=SYS + "/mode_profiles.parquet",
        xi=SYS + "/correlation_length.parquet",
        core_dist=SYS + "/core_energy_distribution.parquet",
        cores=SYS + "/cores.parquet",
    log:
        out=SYS_LOGS + "/mode_structure.log",
    params:
        s=system,
        analysis=CFG["analysis"],
        seed=CFG["seed"],
    priority: TABLE_PRIORITY
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    benchmark:
        SYS_LOGS + "/mode_structure.benchmark.tsv"
    script:
        "../scripts/mode_structure.py"


rule mobility_edge:
    input:
        modes=lambda wc: [f"{d}/inm/unstable_modes.parquet" for n in SIZE_GROUP_MEMBERS[wc.size_group]
                          for d in sample_dirs(n)],
    output:
        binned="results/{size_group}/participation_by_size.parquet",
        edge="results/{size_group}/mobility_edge.parquet",
    log:
        out="results/{size_group}/logs/mobility_edge.log",
    params:
        systems=lambda wc: [SYSTEMS[n] for n in SIZE_GROUP_MEMBERS[wc.size_group]],
        analysis=CFG["analysis"],
    priority: TABLE_PRIORITY
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    benchmark:
        "results/{size_group}/logs/mobility_edge.benchmark.tsv"
    script:
        "../scripts/mobility_edge.py"
