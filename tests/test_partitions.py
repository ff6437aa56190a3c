"""The generic multi-partition launcher (glasstools.lammps.partitions): LAMMPS ``temper`` through
it (the replica-exchange use that ``neb`` shares), failure reports naming the partition, and the
one definition of the MPICH throttle."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from glasstools.lammps.partitions import THROTTLE_ENV, launch, throttle_env
from glasstools.lammps.session import LammpsFailure

TEMPER = """units lj
atom_style atomic
lattice fcc 0.8442
region box block 0 3 0 3 0 3
create_box 1 box
create_atoms 1 box
mass 1 1.0
pair_style lj/cut 2.5
pair_coeff 1 1 1.0 1.0 2.5
variable T world {temps}
velocity all create $T 4928 dist gaussian
fix md all nvt temp $T $T 0.5
thermo 200
temper 2000 100 $T md 3847 58382
"""


def temper_rows(universe_log: Path, partitions: int) -> np.ndarray:
    """Rows ``step i_0 ... i_{P-1}`` that ``temper`` prints to the universe log at each attempt
    (i_k: the temperature index held by replica k)."""
    rows = [ln.split() for ln in universe_log.read_text().splitlines()]
    return np.array([[int(v) for v in r] for r in rows
                     if len(r) == partitions + 1 and all(re.fullmatch(r"\d+", v) for v in r)])


@pytest.mark.parametrize("partitions", [2, 4])
def test_temper_runs_through_the_launcher(tmp_path, partitions):
    temps = " ".join(f"{0.9 + 0.02 * k:.2f}" for k in range(partitions))
    deck = tmp_path / "temper.in"
    deck.write_text(TEMPER.format(temps=temps))
    job = launch("glasstools.lammps.partitions:run_input", {"input": str(deck)}, tmp_path,
                 partitions, name="temper", timeout=300)
    assert [p.exists() for p in job.partition_logs] == [True] * partitions
    rows = temper_rows(job.log, partitions)
    assert rows[:, 0].tolist() == list(range(0, 2001, 100))       # an attempt every 100 steps
    for r in rows[:, 1:]:                                          # a permutation each time
        assert sorted(r.tolist()) == list(range(partitions))
    assert (rows[:, 1:] != np.arange(partitions)).any()           # close temperatures: swaps


def test_failure_names_the_partition(tmp_path):
    deck = tmp_path / "bad.in"
    deck.write_text("units lj\nnot_a_command 1\n")
    with pytest.raises(LammpsFailure, match=r"(?s)bad failed \(rc \d+\).*partition 0 .*ERROR: Unknown command"):
        launch("glasstools.lammps.partitions:run_input", {"input": str(deck)}, tmp_path, 2,
               name="bad", timeout=120)


def test_throttle_only_when_ranks_exceed_cores():
    assert throttle_env(2, cores=2) == {"OMP_NUM_THREADS": "1"}
    assert throttle_env(3, cores=2) == {"OMP_NUM_THREADS": "1", **THROTTLE_ENV}
    # the Snakemake rules take their environment from the library (one definition)
    smk = (Path(__file__).parents[1] / "workflow" / "rules" / "common.smk").read_text()
    assert "MPIR_CVAR" not in smk and "throttle_env" in smk
