# Instantaneous normal modes of every fixed-W snapshot, then per-system tables and fits.


rule inm:
    input:
        snaps="results/{model}/N{N}/T{T}/s{sample}/sd/snapshots.parquet",
        dumps=rules.quench.output.dumps,
        IS=rules.quench.output.IS,
    output:
        summary="results/{model}/N{N}/T{T}/s{sample}/inm/summary.parquet",
        modes="results/{model}/N{N}/T{T}/s{sample}/inm/unstable_modes.parquet",
    params:
        s=system,
        analysis=CFG["analysis"],
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
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
