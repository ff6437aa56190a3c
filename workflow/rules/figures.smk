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


rule figures:
    input:
        [f"results/figures/{m}_N{N}_{kind}.png" for m, N in GROUPS
         for kind in ("W_t", "v_t", "W_fu", "unstable_spectra")],
