"""Stored eigenpairs: a round trip is bit-identical and keeps the solver settings, stored vectors
are orthonormal eigenvectors, and the unstable spectrum and participation ratios are reproduced
from the file alone (no eigen-solver)."""
import os

import numpy as np
import pytest

from glasstools.analysis.hessian import hessian
from glasstools.analysis.modes import inm, inm_options_for_store, participation_ratio, parse_store, stored_modes
from glasstools.io.modes import ModeSet, load_modes, save_modes


@pytest.fixture(scope="module")
def snapshot():
    from conftest import ka_lj

    cfg = ka_lj(n=300, seed=21, minimize_steps=10)
    h = hessian(cfg.frame, cfg.model)
    cfg.close()
    return h


@pytest.mark.parametrize("method", ["dense", "sparse"])
def test_round_trip_reproduces_unstable_spectrum_and_participation(snapshot, method, tmp_path):
    h = snapshot
    res = inm(h, 3, method=method, **inm_options_for_store("unstable", n_lowest=1))
    assert res.n_unstable > 3
    kept = stored_modes(res, h, "unstable", {"file": "W1.lammpstrj"})
    lowest = stored_modes(res, h, "lowest:2", {"file": "W1.lammpstrj"})
    path = tmp_path / "inm" / "modes.npz"
    save_modes(path, {"W1.lammpstrj": kept, "W1-lowest": lowest}, {"seed": 5})
    assert [p.name for p in path.parent.iterdir()] == ["modes.npz"]  # no temporary left behind
    sets, meta = load_modes(path)
    assert meta["seed"] == 5 and meta["versions"]["numpy"] == np.__version__
    assert list(sets) == ["W1.lammpstrj", "W1-lowest"]
    s = sets["W1.lammpstrj"]
    # bit-identical values; the observables of the summary tables recomputed from the file alone
    # (P_a to rounding: numpy's reduction order depends on the number of columns)
    assert np.array_equal(s.eigenvalues, res.unstable_eigenvalues)
    assert np.array_equal(s.vectors, res.vectors[:, res.unstable])
    assert np.allclose(participation_ratio(s.vectors, 3), res.unstable_pr, rtol=1e-13, atol=0)
    assert np.array_equal(sets["W1-lowest"].eigenvalues, res.eigenvalues[:2])
    # metadata: solver settings and counts
    m = s.meta
    assert m["method"] == method and m["which"] == "unstable" and m["file"] == "W1.lammpstrj"
    assert m["n_unstable"] == res.n_unstable == len(s.eigenvalues) and m["dof"] == h.shape[0] == 3 * m["N"]
    assert m["zero_tol"] == res.tol
    if method == "sparse":
        assert m["seed"] == 0 and m["sigma"] < s.eigenvalues[0] and m["residual_tol"] == 1e-9
        assert m["backend"] in ("pardiso", "superlu")
    # stored vectors: orthonormal, orthogonal to translations, eigenvectors with the stored residuals
    k = len(s.eigenvalues)
    assert np.allclose(s.vectors.T @ s.vectors, np.eye(k), atol=1e-10)
    assert np.allclose(s.vectors.reshape(-1, 3, k).sum(axis=0), 0, atol=1e-9)
    r = np.linalg.norm(h @ s.vectors - s.vectors * s.eigenvalues, axis=0)
    assert np.allclose(r, s.residuals, rtol=1e-6, atol=1e-12 * np.abs(s.eigenvalues).max())
    g = np.abs(h).sum(axis=1).max()  # Gershgorin bound: zero_tol = 1e-8 g, Davidson residuals <= 1e-9 g
    assert np.all(s.residuals <= 1e-9 * g) and np.isclose(m["zero_tol"], 1e-8 * g, rtol=1e-12)


def test_store_all_modes_of_a_small_system(snapshot, tmp_path):
    opts = inm_options_for_store("all", n_lowest=1)
    res = inm(snapshot, 3, **opts)
    kept = stored_modes(res, snapshot, "all")
    assert kept.vectors.shape == (snapshot.shape[0], snapshot.shape[0] - 3)
    save_modes(tmp_path / "m.npz", {"s": kept})
    s = load_modes(tmp_path / "m.npz")[0]["s"]
    assert np.array_equal(s.vectors, kept.vectors) and s.meta["modes"] == "all"
    assert np.allclose(s.vectors.T @ s.vectors, np.eye(s.vectors.shape[1]), atol=1e-10)
    with pytest.raises(ValueError, match="modes='all'"):
        stored_modes(inm(snapshot, 3), snapshot, "all")


def test_store_choices_are_checked():
    assert parse_store("lowest:12") == ("lowest", 12) and parse_store("unstable") == ("unstable", 0)
    assert inm_options_for_store("lowest:12", n_lowest=1) == {"modes": "unstable", "n_lowest": 12}
    for bad in ("lowest:0", "lowest", "some", "all:3"):
        with pytest.raises(ValueError, match="store_modes"):
            parse_store(bad)
    with pytest.raises(ValueError, match="vectors"):
        ModeSet(np.ones(2), np.ones((6, 3)), np.ones(2))


def test_load_refuses_another_npz(tmp_path):
    np.savez(tmp_path / "x.npz", meta=np.array('{"format": "other"}'))
    with pytest.raises(ValueError, match="stored-modes"):
        load_modes(tmp_path / "x.npz")


def test_an_interrupted_save_leaves_no_file(tmp_path, monkeypatch):
    path = tmp_path / "modes.npz"

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez_compressed", boom)
    with pytest.raises(KeyboardInterrupt):
        save_modes(path, {"s": ModeSet(np.ones(1), np.ones((3, 1)), np.zeros(1))})
    assert not os.listdir(tmp_path)
