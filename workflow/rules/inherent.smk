# P0 inherent structures (Nishikawa et al. PRX 2022, Sec. II E and III, Figs. 3-5):
# - minimisers: IS of every equilibrium sample (start.data) by LAMMPS minimize (cg, fire, sd),
#   compared with each other and with the IS of the steepest-descent dynamics (quench: sd/IS);
# - defects: phi_i = 1 if particle i gains or loses a neighbour (r_ij < c d_ij) between start.data
#   and its SD-dynamics IS; D2_min; per system <phi>, chi = N Var_samples(phi); versus parent T.
# Settings: top-level config sections `minimisers:` and `defects:` (schema defaults).
MIN_METHODS = list(CFG["minimisers"]["methods"])
IS_METHODS = MIN_METHODS + ["sd_dynamics"]
# the pair of minima whose displacement field is drawn (P0 Fig. 5: CG and FIRE)
FIG5_PAIR = ("cg", "fire") if {"cg", "fire"} <= set(MIN_METHODS) else (MIN_METHODS[0], "sd_dynamics")
SAMPLE = "results/{model}/N{N}/T{T}/s{sample}"
SYSTEM_DIR = "results/{model}/N{N}/T{T}"


def _per_sample(path):
    return lambda wc: [f"{d}/{path}" for d in sample_dirs(f"{wc.model}/N{wc.N}/T{wc.T}")]


def _sample_meta(wc):
    return {"config_seed": CFG["seed"], "sample": int(wc.sample), "N": int(wc.N), "T": wc.T}


rule minimisers:
    input:
        data=f"{SAMPLE}/start.data",
        IS=rules.quench.output.IS,
        snaps=rules.quench.output.snaps,
    output:
        dumps=[SAMPLE + f"/minimisers/IS_{m}.lammpstrj" for m in MIN_METHODS],
        summary=f"{SAMPLE}/minimisers/minimisers.parquet",
        dist=f"{SAMPLE}/minimisers/is_distances.parquet",
    params:
        s=system,
        settings=CFG["minimisers"],
        meta=_sample_meta,
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
    benchmark:
        f"{SAMPLE}/logs/minimisers.benchmark.tsv"
    script:
        "../scripts/minimisers_sample.py"


rule defects:
    input:
        data=f"{SAMPLE}/start.data",
        IS=rules.quench.output.IS,
        snaps=rules.quench.output.snaps,
    output:
        particles=f"{SAMPLE}/defects/defects.parquet",
    params:
        s=system,
        defects=CFG["defects"],
        meta=_sample_meta,
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    benchmark:
        f"{SAMPLE}/logs/defects.benchmark.tsv"
    script:
        "../scripts/defects_sample.py"


rule collect_inherent:
    input:
        summary=_per_sample("minimisers/minimisers.parquet"),
        dist=_per_sample("minimisers/is_distances.parquet"),
        particles=_per_sample("defects/defects.parquet"),
    output:
        minimisers=f"{SYSTEM_DIR}/minimisers.parquet",
        dist=f"{SYSTEM_DIR}/is_distances.parquet",
        dist_avg=f"{SYSTEM_DIR}/is_distances_averages.parquet",
        samples=f"{SYSTEM_DIR}/defects_samples.parquet",
        stats=f"{SYSTEM_DIR}/defect_statistics.parquet",
    params:
        s=system,
        seed=CFG["seed"],
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    benchmark:
        f"{SYSTEM_DIR}/logs/collect_inherent.benchmark.tsv"
    script:
        "../scripts/collect_inherent.py"


rule inherent_vs_T:
    input:
        stats=lambda wc: [f"results/{n}/defect_statistics.parquet" for n in group_systems(wc.model, wc.N)],
        dist_avg=lambda wc: [f"results/{n}/is_distances_averages.parquet" for n in group_systems(wc.model, wc.N)],
    output:
        defects="results/{model}/N{N}/defects_vs_T.parquet",
        dist="results/{model}/N{N}/is_distances_vs_T.parquet",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/inherent_vs_T.py"


rule figure_defects_vs_T:
    input:
        defects="results/{model}/N{N}/defects_vs_T.parquet",
        dist="results/{model}/N{N}/is_distances_vs_T.parquet",
    output:
        fig=report("results/figures/{model}_N{N}_defects_vs_T.png", category="Inherent structures"),
    threads: 1
    script:
        "../scripts/figures_inherent.py"


rule figure_inherent_sample:
    input:
        a=f"{SYSTEM_DIR}/s0/minimisers/IS_{FIG5_PAIR[0]}.lammpstrj",
        b=(f"{SYSTEM_DIR}/s0/sd/IS.lammpstrj" if FIG5_PAIR[1] == "sd_dynamics"
           else f"{SYSTEM_DIR}/s0/minimisers/IS_{FIG5_PAIR[1]}.lammpstrj"),
        dist=f"{SYSTEM_DIR}/s0/minimisers/is_distances.parquet",
        particles=f"{SYSTEM_DIR}/s0/defects/defects.parquet",
    output:
        field=report("results/figures/{model}_N{N}_T{T}_is_displacement.png", category="Inherent structures"),
        snapshot=report("results/figures/{model}_N{N}_T{T}_defects_snapshot.png", category="Inherent structures"),
    params:
        pair=FIG5_PAIR,
    threads: 1
    script:
        "../scripts/figures_inherent.py"


INHERENT_TARGETS = (
    [f"results/{n}/{t}.parquet" for n in SYSTEMS
     for t in ("minimisers", "is_distances", "is_distances_averages", "defects_samples", "defect_statistics")]
    + [f"results/{m}/N{N}/{t}.parquet" for m, N in GROUPS for t in ("defects_vs_T", "is_distances_vs_T")]
    + [f"results/figures/{m}_N{N}_defects_vs_T.png" for m, N in GROUPS]
    + [f"results/figures/{n.replace('/', '_')}_{k}.png" for n in SYSTEMS for k in ("is_displacement", "defects_snapshot")]
)
