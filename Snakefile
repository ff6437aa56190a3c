# glasstools workflow: equilibrate -> steepest descent (fixed-W snapshots) -> INM -> tables -> figures
# Run: snakemake --cores 2 --configfile config.yaml   (see README)
import os
import sys

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

report: "workflow/report/workflow.rst"


rule resolved_config:
    """The validated configuration this run plans from, schema defaults filled in (provenance)."""
    output:
        "results/config.resolved.yaml",
    localrule: True
    run:
        import yaml

        with open(output[0], "w") as fh:
            yaml.safe_dump(CFG, fh, sort_keys=False)


rule all:
    default_target: True
    input:
        rules.resolved_config.output,
        rules.figures.input,
        [f"results/{name}/fits.parquet" for name in SYSTEMS],
        INHERENT_TARGETS,
        LANDSCAPE_TARGETS,
