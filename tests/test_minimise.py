"""Minimisers (CG, FIRE, SD) on a small KA-LJ sample: converged IS, energies, IS distances."""
from __future__ import annotations

import numpy as np
import pytest

from glasstools.analysis.landscape import delta_ab
from glasstools.analysis.minimisers import is_distances
from glasstools.configuration import Frame
from glasstools.lammps.minimise import (METHODS, MinimiseSettings, inherent_structures, minimise,
                                        minimise_dump, parse_minimize_log, quench_frames)
from glasstools.models import get_model


@pytest.fixture(scope="module")
def start():
    from conftest import ka_lj

    cfg = ka_lj(n=120, seed=7, minimize_steps=5)
    try:
        return cfg.positions.copy(), cfg.types.copy(), cfg.box_len.copy(), cfg.energy
    finally:
        cfg.close()


def test_all_minimisers_converge_below_tolerance(start):
    pos, types, box, e_start = start
    model = get_model("ka_lj_fs")
    s = MinimiseSettings(ftol=1e-10)
    res = inherent_structures(model, Frame(pos, box, types), METHODS, s)
    for m, r in res.items():
        print(f"{m}: E/N = {r.energy / len(pos):.10f}, max|F_i| = {r.fmax_atom:.2e}, "
              f"iterations {r.iterations}, stop: {r.stop}")
        assert r.converged, (m, r.stop, r.fmax_atom)
        assert r.fmax_atom <= s.ftol
        assert r.energy <= r.energy_start + 1e-12
        np.testing.assert_allclose(r.energy_start, e_start, rtol=1e-10)
        assert r.W <= r.fmax_atom**2 + 1e-30
    d = is_distances(res, box)
    assert len(d) == 3 and np.all(d["delta"] >= 0)
    # the distance is symmetric and zero for identical structures
    a, b = res["cg"].positions, res["fire"].positions
    assert delta_ab(a, b, box) == pytest.approx(delta_ab(b, a, box))
    assert delta_ab(a, a + box * np.array([1, 0, -1]), box) == pytest.approx(0.0, abs=1e-20)


def test_not_converged_is_reported(start):
    pos, types, box, _ = start
    r = minimise(get_model("ka_lj_fs"), Frame(pos, box, types), "sd",
                 MinimiseSettings(ftol=1e-10, maxiter=5))
    assert not r.converged
    assert r.stop == "max iterations" and r.iterations == 5
    assert r.fmax_atom > 1e-10


def test_quench_frames_one_session_equals_separate_sessions(start):
    """Three configurations quenched in one session (positions scattered into the same system)
    reach the same IS, energies and stopping criteria as three separate ``minimise`` calls; each
    frame's stop and iteration count are its own (read from its part of the log)."""
    pos, types, box, _ = start
    model = get_model("ka_lj_fs")
    rng = np.random.default_rng(4)
    frames = [Frame(pos + rng.normal(0, 0.02, pos.shape) + shift, box, types)
              for shift in (0.0, box * np.array([1, 0, 0]), 0.3)]   # unwrapped image: same physics
    s = MinimiseSettings(ftol=1e-10)
    one = quench_frames(model, frames, "fire", s)
    for fr, r in zip(frames, one):
        sep = minimise(model, fr, "fire", s)
        assert r.converged and sep.converged and r.stop == sep.stop
        assert r.energy == pytest.approx(sep.energy, rel=1e-12)
        assert delta_ab(r.positions, sep.positions, box) < 1e-16
    short = quench_frames(model, frames[:2], "sd", MinimiseSettings(ftol=1e-10, maxiter=5))
    assert [r.stop for r in short] == ["max iterations"] * 2 and all(r.iterations == 5 for r in short)
    # steepest descent stalls above ftol within maxiter; CG from where it stopped converges
    slow = MinimiseSettings(ftol=1e-10, maxiter=1500)
    stalled = quench_frames(model, frames[1:2], "sd", slow)
    assert not stalled[0].converged
    fixed = quench_frames(model, frames[1:2], "sd", slow, fallback="cg")
    assert fixed[0].method == "sd+cg" and fixed[0].converged
    assert fixed[0].energy_start == pytest.approx(short[1].energy_start, rel=1e-12)
    assert all(f.energy <= r.energy for f, r in zip(fixed, stalled))    # continued downhill
    with pytest.raises(ValueError, match="not the same particles"):
        quench_frames(model, [frames[0], Frame(pos[:-1], box, types[:-1])], "cg", s)


def test_minimise_dump_writes_structures_and_tables(start, tmp_path):
    from glasstools.io.tables import read_table
    from glasstools.lammps.dump import read_dump
    from glasstools.lammps.neb import write_chain_dump

    pos, types, box, _ = start
    src = tmp_path / "start.lammpstrj"
    write_chain_dump(src, pos[None], Frame(pos, box, types))
    res = minimise_dump(get_model("ka_lj_fs"), src, tmp_path / "is", methods=("cg", "fire"))
    fr = read_dump(tmp_path / "is" / "IS_cg.lammpstrj")
    assert delta_ab(fr.positions, res["cg"].positions, box) < 1e-20
    df, meta = read_table(tmp_path / "is" / "minimisers.parquet")
    assert list(df["method"]) == ["cg", "fire"] and df["converged"].all()
    d, _ = read_table(tmp_path / "is" / "is_distances.parquet")
    assert len(d) == 1 and meta["settings"]["ftol"] == 1e-10


def test_parse_minimize_log():
    text = ("Minimization stats:\n  Stopping criterion = linesearch alpha is zero\n"
            "  Iterations, force evaluations = 12 30\n")
    assert parse_minimize_log(text) == {"stop": "linesearch alpha is zero", "iterations": 12,
                                        "evaluations": 30}


def test_polydisperse_model_with_per_atom_diameters():
    """wca_poly (plugin, atom_style sphere): LAMMPS start energy equals the numpy model energy
    with the same per-atom diameters, and FIRE reaches the tolerance."""
    from glasstools.analysis.neighbours import pairs
    from glasstools.systems.polydisperse import sample_diameters, volume_for_packing_fraction

    model = get_model("wca_poly")
    n = 64
    d = sample_diameters(n, seed=3, ratio=0.45)
    L = volume_for_packing_fraction(d, 0.5, scale=model.phi_scale) ** (1 / 3)
    g = (np.arange(4) + 0.5) * L / 4
    x = np.stack(np.meshgrid(g, g, g, indexing="ij"), -1).reshape(-1, 3)
    x = x + 0.05 * np.random.default_rng(4).normal(size=x.shape)
    box = np.full(3, L)
    types = np.ones(n, int)
    i, j, rij = pairs(x, box, model.max_cutoff(d))
    e_np = float(np.sum(model.u(np.linalg.norm(rij, axis=1),
                                model.pair_terms(types[i], types[j], d[i], d[j]).params)))
    r = minimise(model, Frame(x, box, types, diameters=d), "fire", MinimiseSettings(ftol=1e-10))
    np.testing.assert_allclose(r.energy_start, e_np, rtol=1e-10)
    assert r.converged and r.energy <= r.energy_start, r.stop
    with pytest.raises(ValueError, match="diameters"):
        minimise(model, Frame(x, box, types), "cg")
