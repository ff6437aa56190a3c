# Figures are targets built from the Parquet tables only.
GROUPS = sorted({(s["model"], s["N"]) for s in CFG["systems"]})


def group_systems(model, N):
    return [name for name, s in SYSTEMS.items() if s["model"] == model and s["N"] == int(N)]


rule figure_group:
    input:
        ensemble=lambda wc: [f"results/{n}/ensemble.parquet" for n in group_systems(wc.model, wc.N)],
        fixed=lambda wc: [f"results/{n}/fixedW.parquet" for n in group_systems(wc.model, wc.N)],
        fits=lambda wc: [f"results/{n}/fits.parquet" for n in group_systems(wc.model, wc.N)],
        spectra=lambda wc: [f"results/{n}/unstable_spectra.parquet" for n in group_systems(wc.model, wc.N)],
    output:
        W_t=report("results/figures/{model}_N{N}_W_t.png", category="Relaxation"),
        v_t=report("results/figures/{model}_N{N}_v_t.png", category="Relaxation"),
        W_fu=report("results/figures/{model}_N{N}_W_fu.png", category="Unstable modes"),
        spectra=report("results/figures/{model}_N{N}_unstable_spectra.png", category="Unstable modes"),
    threads: 1
    script:
        "../scripts/figures.py"


SYSTEM_FIGURES = ("decay_profiles", "energy_profiles", "core_energy", "cores")
T_GROUPS = sorted({(s["model"], n.rsplit("/T", 1)[1]) for n, s in SYSTEMS.items()})


rule figure_mode_structure:
    input:
        profiles="results/{model}/N{N}/T{T}/mode_profiles.parquet",
        xi="results/{model}/N{N}/T{T}/correlation_length.parquet",
        core_dist="results/{model}/N{N}/T{T}/core_energy_distribution.parquet",
        cores="results/{model}/N{N}/T{T}/cores.parquet",
    output:
        decay_profiles=report("results/figures/{model}_N{N}_T{T}_decay_profiles.png", category="Most unstable mode"),
        energy_profiles=report("results/figures/{model}_N{N}_T{T}_energy_profiles.png", category="Most unstable mode"),
        core_energy=report("results/figures/{model}_N{N}_T{T}_core_energy.png", category="Most unstable mode"),
        cores=report("results/figures/{model}_N{N}_T{T}_cores.png", category="Most unstable mode"),
    threads: 1
    script:
        "../scripts/figures_mode_structure.py"


rule figure_correlation_length:
    input:
        xi=lambda wc: [f"results/{n}/correlation_length.parquet" for n in size_group(wc.model, wc.T)],
    output:
        xi=report("results/figures/{model}_T{T}_correlation_length.png", category="Most unstable mode"),
    threads: 1
    script:
        "../scripts/figures_sizes.py"


rule figure_mobility_edge:
    input:
        binned="results/{model}/T{T}/participation_by_size.parquet",
        edge="results/{model}/T{T}/mobility_edge.parquet",
    output:
        scaling=report("results/figures/{model}_T{T}_participation_scaling.png", category="Mobility edge"),
        edge=report("results/figures/{model}_T{T}_mobility_edge.png", category="Mobility edge"),
    threads: 1
    script:
        "../scripts/figures_sizes.py"


rule figures:
    input:
        [f"results/figures/{m}_N{N}_{kind}.png" for m, N in GROUPS
         for kind in ("W_t", "v_t", "W_fu", "unstable_spectra")],
        [f"results/figures/{n.replace('/', '_')}_{kind}.png" for n in SYSTEMS for kind in SYSTEM_FIGURES],
        [f"results/figures/{m}_T{T}_correlation_length.png" for m, T in T_GROUPS],
        [f"results/figures/{m}_T{T}_{kind}.png" for m, T in SIZE_GROUPS
         for kind in ("participation_scaling", "mobility_edge")],
