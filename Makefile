# Fresh machine: `make run` (set-up + demo workflow) and `make test` (set-up + tests).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CORES  ?= 2
CONFIG ?= config.yaml

.PHONY: setup run test report bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e ".[workflow,test]"
	touch $@

setup: $(VENV)/.installed

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

clean:
	rm -rf results .snakemake
