"""Isoconfigurational mobility, mobility extremes and the per-species Spearman correlation (P4)."""
import numpy as np
import pytest

from glasstools.analysis import propensity as prop


def test_spearman_constructed_fields():
    """Perfectly monotone (non-linear) relation -> C_s = 1; reversed -> -1; per species."""
    rng = np.random.default_rng(2)
    n = 60
    types = np.repeat([1, 2], n // 2)
    kappa = rng.uniform(5.0, 50.0, n)
    mu = np.where(types == 1, np.exp(3.0 / kappa), kappa**2)   # type 1: mu increases with 1/kappa
    cs = prop.spearman_by_species(1.0 / kappa, mu, types)
    assert cs[1] == pytest.approx(1.0) and cs[2] == pytest.approx(-1.0)
    # independent fields: |C_s| small
    cs = prop.spearman_by_species(1.0 / kappa, rng.random(n), types)
    assert all(abs(v) < 0.5 for v in cs.values())
    assert np.isnan(prop.spearman_by_species(np.ones(4), np.arange(4.0), np.ones(4, int))[1])


def test_mobility_average_over_runs():
    start = np.zeros((3, 3))
    finals = np.zeros((2, 3, 3))
    finals[0, 0] = [3.0, 4.0, 0.0]       # particle 0 moves 5 in run 0, 1 in run 1
    finals[1, 0] = [0.0, 0.0, 1.0]
    finals[1, 2] = [0.0, 2.0, 0.0]
    assert prop.mobility(start, finals) == pytest.approx([3.0, 0.0, 1.0])
    assert prop.mobility(start, finals, "squared") == pytest.approx([13.0, 0.0, 2.0])


def test_mobility_extremes_local_and_periodic():
    """Line of large particles with spacing 1 in a periodic box of 10: with radius 1.5 the local
    maxima of mu are 0, 2 and 6 (9 is not: its neighbour 0 across the boundary is more mobile),
    the 3 most mobile: 6, 0, 2 (without the minimum image 9 would replace 2); the local minima
    1, 4, 8, least mobile first."""
    x = np.zeros((12, 3))
    x[:10, 0] = np.arange(10)
    x[10:, 0] = [0.5, 5.5]                         # small particles: not candidates
    mu = np.array([6.9, 2.0, 5.0, 2.0, 1.0, 3.0, 7.0, 3.0, 0.5, 6.8, 99.0, -1.0])
    select = np.arange(12) < 10
    most, least = prop.mobility_extremes(mu, x, [10.0, 10.0, 10.0], select, radius=1.5, n=3)
    assert list(most) == [6, 0, 2] and list(least) == [8, 4, 1]
    with pytest.raises(ValueError, match="radius = 5.0: need 0 < radius < L/2 = 5"):
        prop.mobility_extremes(mu, x, [10.0, 10.0, 10.0], select, radius=5.0)


@pytest.mark.parametrize("dim, radius", [(2, 0.6), (3, 1.3)])
def test_mobility_extremes_equal_the_all_pairs_definition(dim, radius):
    """Random periodic configuration (particles outside the box too): the k-d tree neighbourhoods
    give the same local maxima / minima as every pair's minimum-image distance (N_L x N_L)."""
    rng = np.random.default_rng(11)
    box = np.array([7.0, 8.0, 9.0])[:dim]
    x = rng.uniform(-1.0, 2.0, (400, dim)) * box
    mu = rng.exponential(size=400)
    select = rng.random(400) < 0.7
    idx = np.flatnonzero(select)
    d = (x[idx, None] - x[None, idx]) - box * np.round((x[idx, None] - x[None, idx]) / box)
    near = np.linalg.norm(d, axis=-1) < radius
    m = mu[idx]
    want_max = idx[m >= np.where(near, m, -np.inf).max(axis=1)]
    want_min = idx[m <= np.where(near, m, np.inf).min(axis=1)]
    assert 10 < len(want_max) < len(idx) / 2 and 10 < len(want_min) < len(idx) / 2
    most, least = prop.mobility_extremes(mu, x, box, select, radius, n=len(idx))
    assert np.array_equal(most, want_max[np.argsort(-mu[want_max], kind="stable")])
    assert np.array_equal(least, want_min[np.argsort(mu[want_min], kind="stable")])
