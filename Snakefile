# glasstools workflow: equilibrate -> steepest descent (fixed-W snapshots) -> INM -> tables -> figures
# Run: snakemake --cores 2 --configfile config.yaml   (see README)
import os
import sys

# the venv's bin (glasstools, mpiexec) must be on PATH for shell rules, however snakemake was started
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")

configfile: "config.yaml"

include: "workflow/rules/common.smk"
include: "workflow/rules/samples.smk"
include: "workflow/rules/analysis.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/inherent.smk"
include: "workflow/rules/landscape.smk"

report: "workflow/report/workflow.rst"


rule all:
    input:
        rules.figures.input,
        [f"results/{name}/fits.parquet" for name in SYSTEMS],
        INHERENT_TARGETS,
        LANDSCAPE_TARGETS,
