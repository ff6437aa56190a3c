# P0 inherent structures (Nishikawa et al. PRX 2022, Sec. II E and III, Figs. 3-5):
# - minimisers: IS of every equilibrium sample (start.data) by LAMMPS minimize (cg, fire, sd),
#   compared with each other and with the IS of the steepest-descent dynamics (quench: sd/IS);
# - defects: phi_i = 1 if particle i gains or loses a neighbour (r_ij < c d_ij) between start.data
#   and its SD-dynamics IS; D2_min; per system <phi>, chi = N Var_samples(phi); versus parent T.
#   Per sample in the minimisers job (same inputs; one Python start fewer per sample, issue 15).
# Settings: top-level config sections `minimisers:` and `defects:` (schema defaults).
MIN_METHODS = list(CFG["minimisers"]["methods"])
IS_METHODS = MIN_METHODS + ["sd_dynamics"]
# the pair of minima whose displacement field is drawn (P0 Fig. 5: CG and FIRE)
FIG5_PAIR = ("cg", "fire") if {"cg", "fire"} <= set(MIN_METHODS) else (MIN_METHODS[0], "sd_dynamics")


def _sample_meta(wc):
    return {"config_seed": CFG["seed"], "sample": int(wc.sample), "N": system(wc)["N"],
            "T": t_label(system(wc)["T"])}


rule minimisers:
    input:
        data=f"{SAMPLE}/start.data",
        IS=rules.quench.output.IS,
        snaps=rules.quench.output.snaps,
    output:
        dumps=[SAMPLE + f"/minimisers/IS_{m}.lammpstrj" for m in MIN_METHODS],
        summary=f"{SAMPLE}/minimisers/minimisers.parquet",
        dist=f"{SAMPLE}/minimisers/is_distances.parquet",
        particles=f"{SAMPLE}/defects/defects.parquet",
    params:
        s=system,
        settings=CFG["minimisers"],
        defects=CFG["defects"],
        meta=_sample_meta,
    priority: size_priority
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
    log:
        out=LOGS + "/minimisers.log",
    benchmark:
        LOGS + "/minimisers.benchmark.tsv"
    script:
        "../scripts/minimisers_sample.py"


rule collect_inherent:
    input:
        summary=per_sample("minimisers/minimisers.parquet"),
        dist=per_sample("minimisers/is_distances.parquet"),
        particles=per_sample("defects/defects.parquet"),
    output:
        minimisers=f"{SYS}/minimisers.parquet",
        dist=f"{SYS}/is_distances.parquet",
        dist_avg=f"{SYS}/is_distances_averages.parquet",
        samples=f"{SYS}/defects_samples.parquet",
        stats=f"{SYS}/defect_statistics.parquet",
    params:
        s=system,
        seed=CFG["seed"],
    priority: TABLE_PRIORITY
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    log:
        out=SYS_LOGS + "/collect_inherent.log",
    benchmark:
        SYS_LOGS + "/collect_inherent.benchmark.tsv"
    script:
        "../scripts/collect_inherent.py"


rule inherent_vs_T:
    input:
        stats=lambda wc: [f"{sys_dir(n)}/defect_statistics.parquet" for n in T_GROUP_MEMBERS[wc.T_group]],
        dist_avg=lambda wc: [f"{sys_dir(n)}/is_distances_averages.parquet" for n in T_GROUP_MEMBERS[wc.T_group]],
    output:
        defects="results/{T_group}/defects_vs_T.parquet",
        dist="results/{T_group}/is_distances_vs_T.parquet",
    log:
        out="results/{T_group}/logs/inherent_vs_T.log",
    priority: TABLE_PRIORITY
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    benchmark:
        "results/{T_group}/logs/inherent_vs_T.benchmark.tsv"
    script:
        "../scripts/inherent_vs_T.py"


DEFECTS_VS_T_FIGS = figure_items(T_GROUP_MEMBERS, {"defects": of_system("defects_vs_T.parquet"),
                                                   "dist": of_system("is_distances_vs_T.parquet")}, ("defects_vs_T",))
FIG5_FILES = {"a": f"s0/minimisers/IS_{FIG5_PAIR[0]}.lammpstrj",
              "b": "s0/sd/IS.lammpstrj" if FIG5_PAIR[1] == "sd_dynamics" else f"s0/minimisers/IS_{FIG5_PAIR[1]}.lammpstrj",
              "dist": "s0/minimisers/is_distances.parquet", "particles": "s0/defects/defects.parquet"}
INHERENT_SAMPLE_FIGS = [{**it, "dim": SYSTEMS[n]["dim"]} for n, it in zip(SYSTEMS, figure_items(
    SYSTEMS, {k: of_system(f) for k, f in FIG5_FILES.items()}, ("is_displacement", "defects_snapshot")))]


rule figure_defects_vs_T:
    """<phi>, chi and IS distances versus T of every (model, N) group (P0 Fig. 4)."""
    input:
        item_inputs(DEFECTS_VS_T_FIGS),
    output:
        item_outputs(DEFECTS_VS_T_FIGS, "Inherent structures"),
    log:
        out=FIG_LOGS + "/defects_vs_T.log",
    benchmark:
        FIG_LOGS + "/figure_defects_vs_T.benchmark.tsv"
    params:
        figs=DEFECTS_VS_T_FIGS,
    priority: TABLE_PRIORITY
    threads: 1
    script:
        "../scripts/figures_inherent.py"


rule figure_inherent_sample:
    """Sample 0 of every system: displacement field between two minima (P0 Fig. 5) and the
    D2_min / phi_i snapshot (P0 Fig. 3)."""
    input:
        item_inputs(INHERENT_SAMPLE_FIGS),
    output:
        item_outputs(INHERENT_SAMPLE_FIGS, "Inherent structures"),
    log:
        out=FIG_LOGS + "/inherent_sample.log",
    benchmark:
        FIG_LOGS + "/figure_inherent_sample.benchmark.tsv"
    params:
        figs=INHERENT_SAMPLE_FIGS,
        pair=FIG5_PAIR,
    priority: TABLE_PRIORITY
    threads: 1
    script:
        "../scripts/figures_inherent.py"


INHERENT_TARGETS = (
    [f"{sys_dir(n)}/{t}.parquet" for n in SYSTEMS
     for t in ("minimisers", "is_distances", "is_distances_averages", "defects_samples", "defect_statistics")]
    + [f"{sys_dir(g)}/{t}.parquet" for g in T_GROUP_MEMBERS for t in ("defects_vs_T", "is_distances_vs_T")]
    + [f"results/figures/{flat(g)}_defects_vs_T.png" for g in T_GROUP_MEMBERS]
    + [f"results/figures/{flat(n)}_{k}.png" for n in SYSTEMS for k in ("is_displacement", "defects_snapshot")]
)
