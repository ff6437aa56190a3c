"""Clone / IS observables (P2) on constructed cases, and the landscape figures."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

from glasstools.analysis import landscape as ls


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


def test_identical_configurations(rng):
    box = np.full(3, 5.0)
    a = rng.uniform(0, 5, (50, 3))
    b = a + box * rng.integers(-2, 3, a.shape)          # same configuration, other images
    assert ls.delta_ab(a, b, box) == pytest.approx(0.0, abs=1e-24)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = ls.participation_ab(a, b, box)
    assert np.isnan(p.value) and "same minimum" in p.reason


def test_single_displaced_particle_has_p_ab_one(rng):
    box = np.full(3, 5.0)
    a = rng.uniform(0, 5, (50, 3))
    b = a.copy()
    b[7, 1] += 0.3
    p = ls.participation_ab(a, b, box)
    assert p.value == pytest.approx(1.0) and p.reason == ""
    assert ls.delta_ab(a, b, box) == pytest.approx(0.09 / 50)
    b[3, 0] -= 0.3                                          # two equal movers -> 2
    assert ls.participation_ab(a, b, box).value == pytest.approx(2.0)


def test_minimum_image_and_subset(rng):
    box = np.array([4.0, 4.0, 4.0])
    a = np.array([[0.1, 2.0, 2.0], [2.0, 2.0, 2.0]])
    b = np.array([[3.9, 2.0, 2.0], [2.0, 2.5, 2.0]])
    np.testing.assert_allclose(ls.per_particle_sq(a, b, box), [0.04, 0.25])
    mask = ls.largest_half([1.0, 1.4])
    assert mask.tolist() == [False, True]
    assert ls.delta_ab(a, b, box, mask) == pytest.approx(0.25)
    # unwrapped MSD without box: displacement larger than L/2 is kept
    assert ls.single_clone_msd(a, a + [3.0, 0, 0]) == pytest.approx(9.0)


def test_chi_ab_is_one_for_independent_displacements(rng):
    n_samples, n_b = 4000, 100
    per_particle = np.sum(rng.normal(size=(n_samples, n_b, 3)) ** 2, axis=2)
    chi = ls.chi_ab(per_particle)
    # relative error of a variance from n samples ~ sqrt(2/(n-1)) = 2.2%
    assert chi.value == pytest.approx(1.0, abs=5 * np.sqrt(2 / (n_samples - 1)))
    # a common random amplitude per sample correlates all particles: chi >> 1
    amp = rng.uniform(0.5, 1.5, (n_samples, 1))
    assert ls.chi_ab(per_particle * amp).value > 10
    assert np.isnan(ls.chi_ab(per_particle[:1]).value)


def test_clone_pair_averages(rng):
    box = np.full(3, 6.0)
    base = rng.uniform(0, 6, (40, 3))
    clones = np.stack([base + 0.1 * rng.normal(size=base.shape) for _ in range(4)])
    d = ls.delta_ab_pairs(clones, box)
    assert len(d) == 6 and len(ls.clone_pairs(4)) == 6
    M = ls.pair_matrix(clones, ls.delta_ab, box_len=box)
    np.testing.assert_allclose(M[np.triu_indices(4, 1)], d)
    assert d.mean() == pytest.approx(2 * 3 * 0.01, rel=0.3)
    P = ls.pair_matrix(clones, ls.participation_ab, box_len=box)
    assert np.all(P[np.triu_indices(4, 1)] > 1)


def test_glass_temperature_interpolation():
    T = np.array([0.5, 0.6, 0.7, 0.8])
    delta = np.ones(4)
    ratio = 1.0 + 0.1 * (T - 0.5) / 0.3 * 3           # crosses 1.06 at T = 0.56
    tg = ls.glass_temperature(T[::-1], (ratio * delta)[::-1], delta[::-1])
    assert tg.value == pytest.approx(0.56) and tg.reason == ""
    none = ls.glass_temperature(T, np.ones(4), delta)
    assert np.isnan(none.value) and "never crosses" in none.reason


def test_cluster_order_groups_blocks(rng):
    labels = np.array([0, 1, 0, 1, 0, 1, 1, 0])
    V = np.where(labels[:, None] == labels[None], 0.1, 5.0) + 0.01 * rng.random((8, 8))
    V = 0.5 * (V + V.T)
    order = ls.cluster_order(V)
    assert sorted(order) == list(range(8))
    grouped = labels[order]
    assert np.count_nonzero(np.diff(grouped)) == 1             # two contiguous blocks
    np.testing.assert_allclose(ls.reorder(V, order)[0, 1], V[order[0], order[1]])


def test_plots_write_files(rng, tmp_path):
    from glasstools.plots.landscape import (plot_displacement_field, plot_landscape_matrices,
                                            plot_neb_profile)
    import pandas as pd

    box = np.full(3, 5.0)
    a = rng.uniform(0, 5, (200, 3))
    b = a + 0.05 * rng.normal(size=a.shape)
    plot_displacement_field(a, b, box, tmp_path / "field.png", slab_width=1.5)
    n = 5
    V = rng.random((n, n))
    V = V + V.T
    P = np.full((n, n), 3.0)
    P[0, 1] = P[1, 0] = np.nan
    fig, order = plot_landscape_matrices(V, P, rng.random(n), V, tmp_path / "matrices.png")
    plot_neb_profile(pd.DataFrame({"s": [0, 0.5, 1], "energy": [0.0, 1.0, 0.2]}),
                     tmp_path / "neb.png")
    for name in ("field.png", "matrices.png", "neb.png"):
        assert (tmp_path / name).stat().st_size > 1000


def test_clone_is_matrices_and_barrier_matrix(rng):
    box = np.full(3, 5.0)
    base = rng.uniform(0, 5, (30, 3))
    is_pos = np.stack([base, base.copy(), base + 0.01 * rng.normal(size=base.shape)])
    m = ls.clone_is_matrices(is_pos, box, e_is=[-1.0, -1.0, -0.9])
    assert m["delta0"][0, 1] == 0 and m["delta0"][0, 2] > 0
    assert np.isnan(m["p_ab"][0, 1]) and (0, 1) in m["p_ab_reasons"]
    assert m["p_ab"][0, 2] > 1 and m["e_is"].shape == (3,)
    V = ls.barrier_matrix(3, [(0, 1), (0, 2), (1, 2)], [0.5, 2.0, np.nan])
    assert V[1, 0] == 0.5 and V[2, 0] == 2.0 and np.isnan(V[1, 2]) and V[1, 1] == 0
