# glasstools workflow: equilibrate -> steepest descent (fixed-W snapshots) -> INM -> tables -> figures
# Run: snakemake --cores 2 --configfile config.yaml   (see README)
import os
import sys
from pathlib import Path

import yaml

# the venv's bin (glasstools, mpiexec) must be on PATH for shell rules, however snakemake was started
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")

# The demo (config.yaml) is only the default: with --configfile the user's files are the whole
# truth (Snakemake would otherwise merge them into the demo, issue 11); --config overrides either.
if not workflow.overwrite_configfiles:
    configfile: "config.yaml"

include: "workflow/rules/common.smk"
include: "workflow/rules/samples.smk"
include: "workflow/rules/analysis.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/inherent.smk"
include: "workflow/rules/landscape.smk"
include: "workflow/rules/beta.smk"
include: "workflow/rules/remd.smk"
include: "workflow/rules/p4.smk"
include: "workflow/rules/p3.smk"

report: "workflow/report/workflow.rst"


rule resolved_config:
    """The validated configuration this run plans from, schema defaults filled in (provenance)."""
    output:
        "results/config.resolved.yaml",
    params:
        # the text is a parameter, so a changed config rewrites the file (params rerun trigger)
        text=yaml.safe_dump(CFG, sort_keys=False),
    localrule: True
    run:
        from glasstools.io.tables import atomic_path

        with atomic_path(output[0]) as tmp:
            Path(tmp).write_text(params.text)


def outputs(rule, jobs):
    """Every output file of ``rule`` for the wildcard values ``jobs``."""
    return [path.format(**wc) for wc in jobs for path in rule.output]


# Every product is a requested target: Snakemake (>= 7.7) does not rebuild a missing intermediate
# file whose downstream files are present (snakemake/snakemake#1978), so a deleted or killed job's
# output would otherwise stay missing ("Nothing to be done" with empty inm/ folders, issue 11).
SAMPLE_JOBS = [{"system": n, "sample": k} for n, s in SYSTEMS.items() for k in range(s["samples"])]
CLONE_T_JOBS = [{"system": n, "Tc": Tc} for n in CLONE_SYSTEMS for Tc in clone_temps(n)]
CLONE_JOBS = [{**j, "Tc": Tc, "clone": c} for j in SAMPLE_JOBS if j["system"] in CLONE_SYSTEMS
              for Tc in clone_temps(j["system"]) for c in range(SYSTEMS[j["system"]]["clones"]["n"])]
BASIN_JOBS = [{**j, "Tc": landscape_T(j["system"])} for j in SAMPLE_JOBS
              if j["system"] in CLONE_SYSTEMS and landscape_T(j["system"]) is not None]
PRODUCTS = (
    outputs(rules.prepare, SAMPLE_JOBS) + outputs(rules.quench, SAMPLE_JOBS) + outputs(rules.inm, SAMPLE_JOBS)
    + outputs(rules.minimisers, SAMPLE_JOBS)
    + outputs(rules.collect, [{"system": n} for n in SYSTEMS])
    + outputs(rules.mode_structure, [{"system": n} for n in SYSTEMS])
    + outputs(rules.collect_inherent, [{"system": n} for n in SYSTEMS])
    + outputs(rules.mobility_edge, [{"size_group": g} for g in SIZE_GROUPS])
    + outputs(rules.inherent_vs_T, [{"T_group": g} for g in T_GROUP_MEMBERS])
    + outputs(rules.clone_md, CLONE_JOBS)
    + outputs(rules.clone_overlaps, CLONE_T_JOBS)
    + outputs(rules.glass_temperature, [{"system": n} for n in CLONE_SYSTEMS])
    + outputs(rules.clone_is, [j for j in CLONE_JOBS if j["Tc"] == landscape_T(j["system"])])
    + outputs(rules.neb_pair, [{**j, "a": a, "b": b} for j in BASIN_JOBS
                               for a in range(SYSTEMS[j["system"]]["clones"]["n"])
                               for b in range(a + 1, SYSTEMS[j["system"]]["clones"]["n"])])
    + outputs(rules.basin, BASIN_JOBS)
    + outputs(rules.p3_liquid, P3_LIQUIDS) + outputs(rules.p3_md, P3_STATES) + outputs(rules.p3_is, P3_STATES)
    + outputs(rules.p3_modes, P3_STATES)
)


rule all:
    default_target: True
    input:
        rules.resolved_config.output,
        PRODUCTS,
        rules.figures.input,
        INHERENT_TARGETS,
        LANDSCAPE_TARGETS,
        BETA_TARGETS,
        REMD_TARGETS,
        P4_TARGETS,
        P3_TARGETS,
