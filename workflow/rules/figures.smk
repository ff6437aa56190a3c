# Figures are targets built from the Parquet tables only. {fig} is the flat name of a system,
# a temperature group (systems differing only in T) or a size group (differing only in N).
FIG_LOG = "results/figures/logs/{fig}"


def members(wc, groups):
    return groups[FLAT[wc.fig]]


rule figure_group:
    input:
        ensemble=lambda wc: [f"{sys_dir(n)}/ensemble.parquet" for n in members(wc, T_GROUP_MEMBERS)],
        fixed=lambda wc: [f"{sys_dir(n)}/fixedW.parquet" for n in members(wc, T_GROUP_MEMBERS)],
        fits=lambda wc: [f"{sys_dir(n)}/fits.parquet" for n in members(wc, T_GROUP_MEMBERS)],
        spectra=lambda wc: [f"{sys_dir(n)}/unstable_spectra.parquet" for n in members(wc, T_GROUP_MEMBERS)],
    output:
        W_t=report(FIG + "_W_t.png", category="Relaxation"),
        v_t=report(FIG + "_v_t.png", category="Relaxation"),
        W_fu=report(FIG + "_W_fu.png", category="Unstable modes"),
        spectra=report(FIG + "_unstable_spectra.png", category="Unstable modes"),
    log:
        out=FIG_LOG + "_relaxation.log",
    params:
        title=title,
    threads: 1
    script:
        "../scripts/figures.py"


SYSTEM_FIGURES = ("decay_profiles", "energy_profiles", "core_energy", "cores")


rule figure_mode_structure:
    input:
        profiles=lambda wc: f"{sys_dir(FLAT[wc.fig])}/mode_profiles.parquet",
        xi=lambda wc: f"{sys_dir(FLAT[wc.fig])}/correlation_length.parquet",
        core_dist=lambda wc: f"{sys_dir(FLAT[wc.fig])}/core_energy_distribution.parquet",
        cores=lambda wc: f"{sys_dir(FLAT[wc.fig])}/cores.parquet",
    output:
        decay_profiles=report(FIG + "_decay_profiles.png", category="Most unstable mode"),
        energy_profiles=report(FIG + "_energy_profiles.png", category="Most unstable mode"),
        core_energy=report(FIG + "_core_energy.png", category="Most unstable mode"),
        cores=report(FIG + "_cores.png", category="Most unstable mode"),
    log:
        out=FIG_LOG + "_mode_structure.log",
    params:
        title=title,
    threads: 1
    script:
        "../scripts/figures_mode_structure.py"


rule figure_correlation_length:
    input:
        xi=lambda wc: [f"{sys_dir(n)}/correlation_length.parquet" for n in members(wc, SIZE_GROUP_MEMBERS)],
    output:
        xi=report(FIG + "_correlation_length.png", category="Most unstable mode"),
    log:
        out=FIG_LOG + "_correlation_length.log",
    params:
        title=title,
    threads: 1
    script:
        "../scripts/figures_sizes.py"


rule figure_mobility_edge:
    input:
        binned=lambda wc: f"{sys_dir(FLAT[wc.fig])}/participation_by_size.parquet",
        edge=lambda wc: f"{sys_dir(FLAT[wc.fig])}/mobility_edge.parquet",
    output:
        scaling=report(FIG + "_participation_scaling.png", category="Mobility edge"),
        edge=report(FIG + "_mobility_edge.png", category="Mobility edge"),
    log:
        out=FIG_LOG + "_mobility_edge.log",
    params:
        title=title,
    threads: 1
    script:
        "../scripts/figures_sizes.py"


rule figures:
    input:
        [f"results/figures/{flat(g)}_{kind}.png" for g in T_GROUP_MEMBERS
         for kind in ("W_t", "v_t", "W_fu", "unstable_spectra")],
        [f"results/figures/{flat(n)}_{kind}.png" for n in SYSTEMS for kind in SYSTEM_FIGURES],
        [f"results/figures/{flat(g)}_correlation_length.png" for g in SIZE_GROUP_MEMBERS],
        [f"results/figures/{flat(g)}_{kind}.png" for g in SIZE_GROUPS
         for kind in ("participation_scaling", "mobility_edge")],
