# beta(T) of <|v|> ~ t^-beta for every system, 2D and 3D (P0 Fig. 2): one job reads every sample's
# SD trajectory and writes the table, the sub-window table and the figure.


rule beta_vs_T:
    input:
        # every sample of every system, in SYSTEMS order (the script splits them by 'samples')
        [f"{d}/sd/trajectory.parquet" for n in SYSTEMS for d in sample_dirs(n)],
    output:
        table="results/beta_vs_T.parquet",
        windows="results/beta_vs_T_windows.parquet",
        fig=report("results/figures/beta_vs_T.png", category="Relaxation"),
    params:
        systems=SYSTEMS,
        per_decade=CFG["sd"]["per_decade"],
        seed=CFG["seed"],
    log:
        out="results/logs/beta_vs_T.log",
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    benchmark:
        "results/logs/beta_vs_T.benchmark.tsv"
    script:
        "../scripts/beta_vs_T.py"


BETA_TARGETS = rules.beta_vs_T.output if SYSTEMS else []   # none in a p4-only config
