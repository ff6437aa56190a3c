# Figures are targets built from the Parquet tables only, one job per figure family (all
# systems or groups of the family in one process: one Python start and one matplotlib set-up
# instead of one per system, issue 15). File names: results/figures/{fig}_{kind}.png with {fig}
# the flat name of a system, a temperature group (systems differing only in T) or a size group
# (differing only in N). Each family is a list of items {"title", "in": {name: [paths]},
# "out": {kind: path}}; the rule's input and output are the items' paths, the script loops.
FIG_LOGS = "results/figures/logs"
FIG_LOG = FIG_LOGS + "/{fig}"            # per-system figure rules (clones, basin, remd)


def figure_items(names, inputs, kinds):
    """Items of a figure family: per group or system ``name``, its input paths (``inputs``:
    {name: function of the group or system -> list of paths}) and its figures (``kinds``)."""
    return [{"title": n.replace("/", ", "), "in": {k: f(n) for k, f in inputs.items()},
             "out": {kind: f"results/figures/{flat(n)}_{kind}.png" for kind in kinds}} for n in names]


def item_inputs(items):
    return [p for it in items for paths in it["in"].values() for p in paths]


def item_outputs(items, category):
    return [report(p, category=category) for it in items for p in it["out"].values()]


def of_members(groups, path):
    """Input function of a group: ``path`` under every member system's directory."""
    return lambda g: [f"{sys_dir(n)}/{path}" for n in groups[g]]


def of_system(path):
    return lambda n: [f"{sys_dir(n)}/{path}"]


RELAXATION_FIGS = figure_items(
    T_GROUP_MEMBERS, {t: of_members(T_GROUP_MEMBERS, f"{t}.parquet")
                      for t in ("ensemble", "fixedW", "fits", "unstable_spectra")},
    ("W_t", "v_t", "W_fu", "unstable_spectra"))
SYSTEM_FIGURES = ("decay_profiles", "energy_profiles", "core_energy", "cores")
MODE_STRUCTURE_FIGS = figure_items(
    SYSTEMS, {t: of_system(f"{t}.parquet")
              for t in ("mode_profiles", "correlation_length", "core_energy_distribution", "cores")},
    SYSTEM_FIGURES)
XI_FIGS = figure_items(SIZE_GROUP_MEMBERS, {"xi": of_members(SIZE_GROUP_MEMBERS, "correlation_length.parquet")},
                       ("correlation_length",))
EDGE_FIGS = figure_items(SIZE_GROUPS, {t: of_system(f"{t}.parquet") for t in ("participation_by_size", "mobility_edge")},
                         ("participation_scaling", "mobility_edge"))


rule figure_group:
    """W(t), |v(t)|, W vs f_u, unstable spectra of every temperature group (P1 Figs. 2-5)."""
    input:
        item_inputs(RELAXATION_FIGS),
    output:
        item_outputs(RELAXATION_FIGS, "Relaxation"),
    log:
        out=FIG_LOGS + "/relaxation.log",
    benchmark:
        FIG_LOGS + "/figure_group.benchmark.tsv"
    params:
        figs=RELAXATION_FIGS,
    priority: TABLE_PRIORITY
    threads: 1
    script:
        "../scripts/figures.py"


rule figure_mode_structure:
    """Most unstable mode of every system: d(r), Lambda(r), Lambda_min, cores (P1 Figs. 8, 10-12, 19)."""
    input:
        item_inputs(MODE_STRUCTURE_FIGS),
    output:
        item_outputs(MODE_STRUCTURE_FIGS, "Most unstable mode"),
    log:
        out=FIG_LOGS + "/mode_structure.log",
    benchmark:
        FIG_LOGS + "/figure_mode_structure.benchmark.tsv"
    params:
        figs=MODE_STRUCTURE_FIGS,
    priority: TABLE_PRIORITY
    threads: 1
    script:
        "../scripts/figures_mode_structure.py"


rule figure_sizes:
    """xi(W) per N of every size group (P1 Fig. 9); N^(2/3)<P>_lambda and lambda_e(W) of every
    group with two sizes or more (P1 Figs. 6-7)."""
    input:
        item_inputs(XI_FIGS + EDGE_FIGS),
    output:
        item_outputs(XI_FIGS, "Most unstable mode") + item_outputs(EDGE_FIGS, "Mobility edge"),
    log:
        out=FIG_LOGS + "/sizes.log",
    benchmark:
        FIG_LOGS + "/figure_sizes.benchmark.tsv"
    params:
        xi=XI_FIGS,
        edge=EDGE_FIGS,
    priority: TABLE_PRIORITY
    threads: 1
    script:
        "../scripts/figures_sizes.py"


rule figures:
    input:
        [p for items in (RELAXATION_FIGS, MODE_STRUCTURE_FIGS, XI_FIGS, EDGE_FIGS) for it in items
         for p in it["out"].values()],
