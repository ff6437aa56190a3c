# P3 (Mizuno, Tong, Ikeda, Mossa, JCP 153, 154501 (2020)): vibrations of glasses and crystals at T << T_g.
#   p3_liquid (glass: liquid at protocol.liquid_T, one per N and sample)
#   -> p3_md (instantaneous quench / perfect FCC, NVT anneal at T, NVE production with dumps every Delta t)
#   -> p3_is (FIRE IS of every frame in one LAMMPS session: Eqs. 4-7, far field, rearrangements)
#   -> p3_modes (MSD; for runs without rearrangements: normal modes of the IS, E_k, equipartition,
#      C_k, tau_k from MD, and three-phonon tau_k = 1/Gamma_k, j(omega))
#   -> p3_summary (Table I, all lifetimes and events) -> p3_figures (P3 Figs. 1-9 equivalents).
# Settings: the top-level config block `p3:` (workflow/schemas/config.schema.yaml).
from glasstools.config import p3_models
from glasstools.systems import sample_seed

P3 = CFG.get("p3")
P3_DIR = "results/p3/{p3kind}/N{p3N}/T{p3T}/s{sample}"
P3_LIQUID = "results/p3/glass/N{p3N}/liquid/s{sample}"
P3_FIGS = ("msd", "tau", "tau_T", "jdos", "dr_series", "events", "far_field", "basin", "energy",
           "equipartition")

wildcard_constraints:
    p3kind="glass|crystal",
    p3N=r"\d+",
    p3T=r"[0-9.e+-]+",

P3_STATES = ([{"p3kind": kind, "p3N": N, "p3T": t_label(T), "sample": k}
              for kind in ("glass", "crystal") for N in P3[kind]["N"] for T in P3[kind]["T"]
              for k in range(P3["samples"])] if P3 else [])
P3_LIQUIDS = [{"p3N": N, "sample": k} for N in P3["glass"]["N"] for k in range(P3["samples"])] if P3 else []


def p3_model(wc):
    return p3_models(P3)[wc.p3kind].to_spec()


def p3_seed(wc, *keys):
    return sample_seed(CFG["seed"], "p3", wc.p3kind if "p3kind" in wc.keys() else "glass", wc.p3N,
                       wc.p3T if "p3T" in wc.keys() else "liquid", wc.sample, *keys)


rule p3_liquid:
    output:
        data=P3_LIQUID + "/liquid.data",
        table=P3_LIQUID + "/liquid.parquet",
    log:
        P3_LIQUID + "/logs/liquid.lammps.log",
        out=P3_LIQUID + "/logs/liquid.log",
    params:
        p3=lambda wc: P3,
        seed=p3_seed,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=60,
    benchmark:
        P3_LIQUID + "/logs/liquid.benchmark.tsv"
    script:
        "../scripts/p3_liquid.py"


rule p3_md:
    input:
        liquid=lambda wc: [f"results/p3/glass/N{wc.p3N}/liquid/s{wc.sample}/liquid.data"] if wc.p3kind == "glass" else [],
    output:
        traj=P3_DIR + "/traj.lammpstrj",
        frames=P3_DIR + "/frames.parquet",
    log:
        P3_DIR + "/logs/md.lammps.log",
        out=P3_DIR + "/logs/md.log",
    params:
        p3=lambda wc: P3,
        model=p3_model,
        seed=lambda wc: p3_seed(wc, "md"),
    threads: 1
    resources:
        mem_mb=1000,
        runtime=240,
    benchmark:
        P3_DIR + "/logs/md.benchmark.tsv"
    script:
        "../scripts/p3_md.py"


rule p3_is:
    input:
        traj=rules.p3_md.output.traj,
    output:
        steps=P3_DIR + "/is_trajectory.parquet",
        events=P3_DIR + "/events.parquet",
        field=P3_DIR + "/event_field.parquet",
        summary=P3_DIR + "/rearrangements.parquet",
        IS0=P3_DIR + "/IS0.lammpstrj",
    log:
        P3_DIR + "/logs/is.lammps.log",
        out=P3_DIR + "/logs/is.log",
    params:
        p3=lambda wc: P3,
        model=p3_model,
    threads: 1
    resources:
        mem_mb=2000,
        runtime=600,
    benchmark:
        P3_DIR + "/logs/is.benchmark.tsv"
    script:
        "../scripts/p3_is.py"


rule p3_modes:
    input:
        traj=rules.p3_md.output.traj,
        frames=rules.p3_md.output.frames,
        IS0=rules.p3_is.output.IS0,
        summary=rules.p3_is.output.summary,
    output:
        msd=P3_DIR + "/msd.parquet",
        modes=P3_DIR + "/modes.parquet",
        bins=P3_DIR + "/bins.parquet",
        energy=P3_DIR + "/energy.parquet",
        jdos=P3_DIR + "/jdos.parquet",
    log:
        out=P3_DIR + "/logs/modes.log",
    params:
        p3=lambda wc: P3,
        model=p3_model,
    threads: 1
    resources:
        mem_mb=8000,
        runtime=600,
    benchmark:
        P3_DIR + "/logs/modes.benchmark.tsv"
    script:
        "../scripts/p3_modes.py"


def p3_state_files(name):
    return [P3_DIR.format(**st) + f"/{name}" for st in P3_STATES]


rule p3_summary:
    input:
        summary=p3_state_files("rearrangements.parquet"),
        bins=p3_state_files("bins.parquet"),
        events=p3_state_files("events.parquet"),
    output:
        table="results/p3/table_I.parquet",
        lifetimes="results/p3/lifetimes.parquet",
        events="results/p3/events.parquet",
    log:
        out="results/p3/logs/summary.log",
    benchmark:
        "results/p3/logs/summary.benchmark.tsv"
    params:
        states=P3_STATES,
    threads: 1
    script:
        "../scripts/p3_summary.py"


rule p3_figures:
    input:
        table=rules.p3_summary.output.table,
        lifetimes=rules.p3_summary.output.lifetimes,
        events=rules.p3_summary.output.events,
        msd=p3_state_files("msd.parquet"),
        modes=p3_state_files("modes.parquet"),
        jdos=p3_state_files("jdos.parquet"),
        steps=p3_state_files("is_trajectory.parquet"),
        field=p3_state_files("event_field.parquet"),
    output:
        [report(f"results/figures/p3_{name}.png", category="P3 vibrations") for name in P3_FIGS],
    log:
        out="results/p3/logs/figures.log",
    benchmark:
        "results/p3/logs/figures.benchmark.tsv"
    params:
        states=P3_STATES,
        names=P3_FIGS,
    threads: 1
    script:
        "../scripts/p3_figures.py"


# per-state products are added to `all` in the Snakefile (outputs() is defined there)
P3_TARGETS = (list(rules.p3_summary.output) + list(rules.p3_figures.output)) if P3 else []
