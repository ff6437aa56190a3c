# Instantaneous normal modes of every fixed-W snapshot (and the structure of its lowest mode),
# then per-system tables and fits, and the mobility edge across system sizes.


rule inm:
    input:
        snaps="results/{model}/N{N}/T{T}/s{sample}/sd/snapshots.parquet",
        dumps=rules.quench.output.dumps,
        IS=rules.quench.output.IS,
    output:
        summary="results/{model}/N{N}/T{T}/s{sample}/inm/summary.parquet",
        modes="results/{model}/N{N}/T{T}/s{sample}/inm/unstable_modes.parquet",
        profiles="results/{model}/N{N}/T{T}/s{sample}/inm/lowest_mode_profiles.parquet",
        cores="results/{model}/N{N}/T{T}/s{sample}/inm/lowest_mode_cores.parquet",
    params:
        s=system,
        analysis=CFG["analysis"],
    threads: 1
    resources:
        # benchmarks/inm_scaling.py: one snapshot peaks at 0.9 / 2.0 / 5.0 GB and takes 21 / 89 / 403 s
        # for N = 8000 / 16000 / 32000 (2 cores); every fixed-W level of the sample runs in this job
        mem_mb=lambda wc: 2000 + int(wc.N) // 4,
        runtime=lambda wc: 60 + int(wc.N) // 50,
    benchmark:
        "results/{model}/N{N}/T{T}/s{sample}/logs/inm.benchmark.tsv"
    script:
        "../scripts/inm_sample.py"


rule collect:
    input:
        traj=lambda wc: [f"{d}/sd/trajectory.parquet" for d in sample_dirs(f"{wc.model}/N{wc.N}/T{wc.T}")],
        inm=lambda wc: [f"{d}/inm/summary.parquet" for d in sample_dirs(f"{wc.model}/N{wc.N}/T{wc.T}")],
        modes=lambda wc: [f"{d}/inm/unstable_modes.parquet" for d in sample_dirs(f"{wc.model}/N{wc.N}/T{wc.T}")],
    output:
        traj="results/{model}/N{N}/T{T}/trajectory.parquet",
        fixed="results/{model}/N{N}/T{T}/fixedW.parquet",
        ensemble="results/{model}/N{N}/T{T}/ensemble.parquet",
        fixed_avg="results/{model}/N{N}/T{T}/fixedW_averages.parquet",
        spectra="results/{model}/N{N}/T{T}/unstable_spectra.parquet",
        flat="results/{model}/N{N}/T{T}/flatness.parquet",
        fits="results/{model}/N{N}/T{T}/fits.parquet",
    params:
        s=system,
        sd=CFG["sd"],
        analysis=CFG["analysis"],
        seed=CFG["seed"],
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    script:
        "../scripts/collect.py"


rule mode_structure:
    input:
        summary=lambda wc: [f"{d}/inm/summary.parquet" for d in sample_dirs(f"{wc.model}/N{wc.N}/T{wc.T}")],
        profiles=lambda wc: [f"{d}/inm/lowest_mode_profiles.parquet" for d in sample_dirs(f"{wc.model}/N{wc.N}/T{wc.T}")],
        cores=lambda wc: [f"{d}/inm/lowest_mode_cores.parquet" for d in sample_dirs(f"{wc.model}/N{wc.N}/T{wc.T}")],
    output:
        profiles="results/{model}/N{N}/T{T}/mode_profiles.parquet",
        xi="results/{model}/N{N}/T{T}/correlation_length.parquet",
        core_dist="results/{model}/N{N}/T{T}/core_energy_distribution.parquet",
        cores="results/{model}/N{N}/T{T}/cores.parquet",
    params:
        s=system,
        analysis=CFG["analysis"],
        seed=CFG["seed"],
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    script:
        "../scripts/mode_structure.py"


rule mobility_edge:
    input:
        modes=lambda wc: [f"{d}/inm/unstable_modes.parquet" for n in size_group(wc.model, wc.T)
                          for d in sample_dirs(n)],
    output:
        binned="results/{model}/T{T}/participation_by_size.parquet",
        edge="results/{model}/T{T}/mobility_edge.parquet",
    params:
        systems=lambda wc: [SYSTEMS[n] for n in size_group(wc.model, wc.T)],
        analysis=CFG["analysis"],
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    script:
        "../scripts/mobility_edge.py"
