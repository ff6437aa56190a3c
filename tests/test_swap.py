"""fix swap/diameter: detailed balance (chi-square vs exact enumeration), bookkeeping, MPI.

The statistical test runs swap MC on 4 particles at fixed positions in a periodic box smaller
than two cutoffs (so periodic images, including self-images, interact), records which diameter
sits on which particle after every block of attempts, and compares the frequencies of the 24
permutations with Boltzmann weights from numpy enumeration (chi-square, p > 1e-4). A control
at the wrong temperature must be rejected, so the test can fail.
"""
from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
from scipy.stats import chi2

from glasstools.lammps.deck import system_commands
from glasstools.lammps.partitions import THROTTLE_ENV
from glasstools.lammps.session import lammps_session
from glasstools.models import get_model
from glasstools.systems import random_positions, sample_diameters, write_lammps_data

DIAMS = np.array([0.8, 1.0, 1.2, 1.5])
BOX = 1.9


def tiny_positions():
    """4 particles near the FCC sites of a box of side 1.9 (< 2 cutoffs: each pair interacts
    through several periodic images), jittered so the 24 permutations have distinct energies."""
    fcc = np.array([[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]])
    return (fcc + 0.08 * np.random.default_rng(5).standard_normal((4, 3))) * BOX


def periodic_energy(model, pos, diam, box, nimg=2):
    """Exact energy with all periodic images |n_k| <= nimg (self-images counted 1/2)."""
    shifts = np.array(list(itertools.product(range(-nimg, nimg + 1), repeat=3)), float) * box
    e = 0.0
    n = len(diam)
    for a in range(n):
        for b in range(a, n):
            rv = pos[b] - pos[a] + shifts
            r = np.sqrt((rv**2).sum(1))
            if a == b:
                r = r[r > 0]
            p = model.pair_terms(None, None, np.full(r.size, diam[a]), np.full(r.size, diam[b])).params
            e += (0.5 if a == b else 1.0) * model.u(r, p).sum()
    return e


def _run_tiny_swap(tmp_path, model, pos, T, nsteps, nattempt, seed, delta=None):
    data = write_lammps_data(tmp_path / "tiny.data", pos, DIAMS, BOX)
    with lammps_session(model=model) as lmp:
        opt = f" delta {delta}" if delta is not None else ""
        lmp.commands_list([*system_commands(model, data_in=str(data)), "thermo_modify norm no", "run 0"])
        e0 = float(lmp.get_thermo("pe"))
        lmp.commands_list([
            *[f"variable d{k} equal 2*radius[{k}]" for k in range(1, 5)],
            f"fix mc all swap/diameter 1 {nattempt} {T!r} {seed}{opt}",
            f"fix rec all ave/time 1 1 1 v_d1 v_d2 v_d3 v_d4 file {tmp_path / 'd.txt'}",
            f"run {nsteps}"])
        counts = [lmp.extract_fix("mc", 0, 1, k) for k in range(3)]
    rec = np.loadtxt(tmp_path / "d.txt")[:, 1:]
    return e0, rec, counts


@pytest.mark.parametrize("delta", [None, 0.25])
def test_detailed_balance_chi_square(tmp_path, delta):
    model = get_model("soft_spheres_poly")
    pos = tiny_positions()
    perms = list(itertools.permutations(range(4)))
    energies = np.array([periodic_energy(model, pos, DIAMS[list(p)], BOX) for p in perms])
    T = float(np.ptp(energies) / 5.0)  # weights span e^-5 .. 1
    e0, rec, (attempts, accepted, eligible) = _run_tiny_swap(tmp_path, model, pos, T, 20000, 30,
                                                            seed=77, delta=delta)
    assert abs(e0 - energies[0]) <= 1e-10 * abs(energies[0])  # LAMMPS images = numpy images
    assert attempts == 20000 * 30 and 0.1 * eligible < accepted < eligible

    # state = which diameter sits on particle k; map each record to its permutation index
    index = {tuple(DIAMS[list(p)]): s for s, p in enumerate(perms)}
    states = np.array([index[tuple(np.round(row, 12))] for row in rec])
    if delta is None:
        reachable = np.ones(len(perms), bool)
    else:  # |d_i - d_j| < 0.25 never moves the 1.5 particle: 6 permutations of the other three
        reachable = np.array([p[3] == 3 for p in perms])
        assert np.all(reachable[states])
    observed = np.bincount(states, minlength=len(perms))[reachable]

    def p_value(temp):
        w = np.exp(-(energies[reachable] - energies.min()) / temp)
        expected = w / w.sum() * len(states)
        stat = ((observed - expected) ** 2 / expected).sum()
        return chi2.sf(stat, reachable.sum() - 1)

    print(f"delta={delta}: acceptance {accepted / eligible:.3f}, p(T) = {p_value(T):.3g}, "
          f"p(1.3 T) = {p_value(1.3 * T):.3g}")
    assert p_value(T) > 1e-4
    assert p_value(1.3 * T) < 1e-8  # the test has power: a wrong temperature is rejected


def test_no_eligible_pairs_and_forces_after_swaps(tmp_path):
    """delta 0 rejects everything; after accepted swaps forces/energy match the new diameters."""
    from glasstools.analysis.hessian import energy_forces
    from glasstools.configuration import Frame

    model = get_model("soft_spheres_poly")
    pos = tiny_positions()
    _, rec, counts = _run_tiny_swap(tmp_path, model, pos, 1.0, 10, 5, seed=3, delta=0.0)
    assert counts == [50, 0, 0] and np.all(rec == DIAMS)

    n = 200
    d = sample_diameters(n, 9)
    box = (n / 1.02) ** (1 / 3)
    data = write_lammps_data(tmp_path / "n200.data", random_positions(n, box, 10), d, box)
    with lammps_session(model=model) as lmp:
        lmp.commands_list([*system_commands(model, data_in=str(data)), "thermo_modify norm no",
                           "minimize 0 0 20 200", "reset_timestep 0",
                           "fix mc all swap/diameter 5 300 0.1 11 delta 0.2", "run 10"])
        assert lmp.extract_fix("mc", 0, 1, 1) > 0
        x = np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(n, 3)
        f_lmp = np.ctypeslib.as_array(lmp.gather_atoms("f", 1, 3)).reshape(n, 3)
        diam = 2 * np.ctypeslib.as_array(lmp.gather_atoms("radius", 1, 1))
        e_lmp = float(lmp.get_thermo("pe"))
    assert np.allclose(np.sort(diam), np.sort(d), rtol=0, atol=0)  # swaps permute diameters
    assert not np.array_equal(diam, d)
    e, f = energy_forces(Frame(x, np.full(3, box), np.ones(n, int), diameters=diam), model)
    assert abs(e - e_lmp) <= 1e-10 * abs(e)
    assert np.abs(f - f_lmp).max() <= 1e-10 * np.abs(f).max()


MPI_SCRIPT = r"""
import sys, json
import numpy as np
from mpi4py import MPI
from glasstools.lammps.deck import system_commands
from glasstools.lammps.session import open_lammps
from glasstools.models import get_model
model = get_model("soft_spheres_poly")
lmp = open_lammps(model=model)
lmp.commands_list([*system_commands(model, data_in=sys.argv[1]), "thermo_modify norm no", "run 0"])
e0 = lmp.get_thermo("pe")
lmp.commands_list(["fix mc all swap/diameter 1 400 0.2 5 delta 0.3", "run 10"])
out = {"e0": e0, "e1": lmp.get_thermo("pe"), "counts": [lmp.extract_fix("mc", 0, 1, k) for k in range(3)],
       "diam": (2 * np.ctypeslib.as_array(lmp.gather_atoms("radius", 1, 1))).tolist()}
if MPI.COMM_WORLD.rank == 0:
    print("RESULT", json.dumps(out))
"""


@pytest.mark.skipif(shutil.which("mpiexec", path=os.path.dirname(sys.executable)) is None,
                    reason="mpiexec (mpich wheel) not installed")
def test_one_and_two_ranks_identical(tmp_path):
    """Same energies, counters and final diameters on 1 and 2 MPI ranks (the fix is exact)."""
    import json

    n = 400
    d = sample_diameters(n, 21)
    box = (n / 1.02) ** (1 / 3)
    data = write_lammps_data(tmp_path / "mpi.data", random_positions(n, box, 22) , d, box)
    script = tmp_path / "run.py"
    script.write_text(MPI_SCRIPT)
    mpiexec = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    env = {**os.environ, "OMP_NUM_THREADS": "1", **THROTTLE_ENV}
    res = []
    for ranks in (1, 2):
        out = subprocess.run([mpiexec, "-n", str(ranks), sys.executable, str(script), str(data)],
                             capture_output=True, text=True, timeout=120, env=env)
        line = [x for x in out.stdout.splitlines() if x.startswith("RESULT")]
        assert line, out.stdout[-2000:] + out.stderr[-2000:]
        res.append(json.loads(line[0][7:]))
    one, two = res
    assert abs(one["e0"] - two["e0"]) <= 1e-12 * abs(one["e0"])
    assert one["counts"] == two["counts"] and one["counts"][1] > 0
    assert one["diam"] == two["diam"]
    assert abs(one["e1"] - two["e1"]) <= 1e-12 * abs(one["e1"])


def test_hybrid_md_swap_consistent(tmp_path):
    """NVT MD with swap blocks (P2 hybrid swap): runs, accepts, and the final energy and forces
    are those of the final positions and diameters (forces are refreshed after swaps)."""
    from glasstools.analysis.hessian import energy_forces
    from glasstools.configuration import Frame
    from glasstools.systems import write_random_start

    model = get_model("soft_spheres_poly")
    st = write_random_start(tmp_path / "h.data", 200, seed=5, density=1.02)
    with lammps_session(model=model) as lmp:
        lmp.commands_list([*system_commands(model, data_in=str(tmp_path / "h.data")),
                           "thermo_modify norm no", "minimize 0 0 100 1000", "reset_timestep 0",
                           "velocity all create 0.3 4 dist gaussian", "fix md all nvt temp 0.3 0.3 0.5",
                           "fix mc all swap/diameter 20 200 0.3 8 delta 0.2", "timestep 0.005",
                           "run 300"])
        attempts, accepted = (lmp.extract_fix("mc", 0, 1, k) for k in range(2))
        n = 200
        x = np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(n, 3).copy()
        f_lmp = np.ctypeslib.as_array(lmp.gather_atoms("f", 1, 3)).reshape(n, 3).copy()
        diam = 2 * np.ctypeslib.as_array(lmp.gather_atoms("radius", 1, 1)).copy()
        e_lmp = float(lmp.get_thermo("pe"))
    assert attempts == 15 * 200 and accepted > 0
    e, f = energy_forces(Frame(x, np.full(3, st["box_len"]), np.ones(n, int), diameters=diam), model)
    assert abs(e - e_lmp) <= 1e-10 * abs(e)
    assert np.abs(f - f_lmp).max() <= 1e-10 * np.abs(f).max()
