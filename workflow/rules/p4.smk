# P4 (Kapteijns et al., JCP 155, 074502 (2021)): dipole stiffness kappa of inherent structures
# against structural relaxation. Config section `p4:` (workflow/schemas/config.schema.yaml).
# - p4_state (one job per model and parent T_p): NVT Nose-Hoover equilibration + production
#   with dumps; F_s(q_max, t), MSD, tau_alpha, D; IS ensemble quenched along the run with G and
#   kappa per IS (glasstools.analysis.elasticity); optional IS-transition run;
# - p4_propensity (one per model with `propensity:`): isoconfigurational runs, mobility at
#   tau_alpha/10, local kappa_i of the IS, Spearman per species, most/least mobile;
# - p4_collect (one per model): summary vs T_p, relative changes, mesoelastic fit;
# - p4_figures: P4 Figs. 3-5, 7 and 9 equivalents from the tables.
from glasstools.config import p4_name
from glasstools.systems import sample_seed

P4_MODELS = {p4_name(m): m for m in CFG.get("p4", {}).get("models", [])}
P4 = "results/p4/{p4sys}"
P4_STATE = P4 + "/T{p4T}"


def p4_model(wc):
    return P4_MODELS[wc.p4sys]


def p4_states(name):
    return [f"results/p4/{name}/T{t_label(T)}" for T in P4_MODELS[name]["T"]]


def p4_seed(wc):
    return sample_seed(CFG["seed"], f"p4/{wc.p4sys}/T{wc.p4T}", 0)


def _p4_prop_state(wc):
    return f"results/p4/{wc.p4sys}/T{t_label(P4_MODELS[wc.p4sys]['propensity']['T'])}"


wildcard_constraints:
    p4sys=_one_of(P4_MODELS) if P4_MODELS else "$^",
    p4T=r"[0-9.e+-]+",


rule p4_state:
    output:
        start=P4_STATE + "/start.data",
        thermo=P4_STATE + "/thermo.parquet",
        dynamics=P4_STATE + "/dynamics.parquet",
        inherent=P4_STATE + "/inherent.parquet",
        parents=P4_STATE + "/parents.lammpstrj",
        IS=P4_STATE + "/IS.lammpstrj",
        transitions=P4_STATE + "/transitions.parquet",
        state=P4_STATE + "/state.parquet",
    params:
        m=p4_model,
        seed=p4_seed,
        config_seed=CFG["seed"],
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
    log:
        out=P4_STATE + "/logs/p4_state.log",
    benchmark:
        P4_STATE + "/logs/p4_state.benchmark.tsv"
    script:
        "../scripts/p4_state.py"


rule p4_propensity:
    input:
        state=lambda wc: _p4_prop_state(wc) + "/state.parquet",
        parents=lambda wc: _p4_prop_state(wc) + "/parents.lammpstrj",
        IS=lambda wc: _p4_prop_state(wc) + "/IS.lammpstrj",
    output:
        particles=P4 + "/propensity.parquet",
        spearman=P4 + "/spearman.parquet",
    params:
        m=p4_model,
        seed=lambda wc: sample_seed(CFG["seed"], f"p4/{wc.p4sys}/propensity", 0),
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
    log:
        out=P4 + "/logs/p4_propensity.log",
    benchmark:
        P4 + "/logs/p4_propensity.benchmark.tsv"
    script:
        "../scripts/p4_propensity.py"


rule p4_collect:
    input:
        states=lambda wc: [f"{d}/state.parquet" for d in p4_states(wc.p4sys)],
    output:
        summary=P4 + "/summary.parquet",
        mesoelastic=P4 + "/mesoelastic.parquet",
    params:
        m=p4_model,
        seed=lambda wc: sample_seed(CFG["seed"], f"p4/{wc.p4sys}/mesoelastic", 0),
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    log:
        out=P4 + "/logs/p4_collect.log",
    benchmark:
        P4 + "/logs/p4_collect.benchmark.tsv"
    script:
        "../scripts/p4_collect.py"


P4_FIGURES = [f"results/figures/p4_{k}.png" for k in
              ("fig3_relative_changes", "fig4_mesoelastic", "fig5_transitions", "fig9_stokes_einstein",
               "fig7_propensity")]


rule p4_figures:
    input:
        summary=[f"results/p4/{n}/summary.parquet" for n in P4_MODELS],
        mesoelastic=[f"results/p4/{n}/mesoelastic.parquet" for n in P4_MODELS],
        dynamics=[f"{d}/dynamics.parquet" for n in P4_MODELS for d in p4_states(n)],
        transitions=[f"{d}/transitions.parquet" for n in P4_MODELS for d in p4_states(n)],
        propensity=[f"results/p4/{n}/propensity.parquet" for n in P4_MODELS if "propensity" in P4_MODELS[n]],
        spearman=[f"results/p4/{n}/spearman.parquet" for n in P4_MODELS if "propensity" in P4_MODELS[n]],
    output:
        figs=[report(f, category="P4 elasticity and dynamics") for f in P4_FIGURES],
    threads: 1
    log:
        out="results/figures/logs/p4_figures.log",
    benchmark:
        "results/figures/logs/p4_figures.benchmark.tsv"
    script:
        "../scripts/p4_figures.py"


P4_TARGETS = (
    [f"{d}/state.parquet" for n in P4_MODELS for d in p4_states(n)]
    + [f"results/p4/{n}/{t}.parquet" for n in P4_MODELS for t in ("summary", "mesoelastic")]
    + [f"results/p4/{n}/{t}.parquet" for n in P4_MODELS if "propensity" in P4_MODELS[n]
       for t in ("propensity", "spearman")]
    + (P4_FIGURES if P4_MODELS else [])
)
