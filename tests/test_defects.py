"""Defects phi_i (P0) and D^2_min (Falk-Langer) on constructed configurations."""
from __future__ import annotations

import numpy as np
import pytest

from glasstools.analysis import defects as df


def _cubic(n=6, a=1.0):
    g = np.arange(n) * a + 0.5 * a
    return np.stack(np.meshgrid(g, g, g, indexing="ij"), -1).reshape(-1, 3), np.full(3, n * a)


def _brute_neighbours(x, box, cut):
    d = x[:, None] - x[None]
    d -= box * np.round(d / box)
    r = np.linalg.norm(d, axis=2)
    np.fill_diagonal(r, np.inf)
    return r < cut


def test_phi_on_a_constructed_neighbour_change():
    x0, box = _cubic()
    x1 = x0.copy()
    x1[0, 0] += 0.5                                # toward +x: loses -x, gains 4 diagonal ones
    phi = df.neighbour_change(x0, x1, box, c=1.2, diameters=np.ones(len(x0)))
    expect = np.any(_brute_neighbours(x0, box, 1.2) != _brute_neighbours(x1, box, 1.2), axis=1)
    np.testing.assert_array_equal(phi, expect.astype(int))
    assert phi[0] == 1 and phi.sum() == 1 + 1 + 4      # mover, lost -x neighbour (via PBC), 4 gained
    # nothing changes for a small displacement
    x2 = x0.copy()
    x2[0, 0] += 0.05
    assert df.neighbour_change(x0, x2, box, c=1.2, diameters=np.ones(len(x0))).sum() == 0


def test_phi_with_types_and_sigma_matrix():
    x0, box = _cubic()
    types = np.ones(len(x0), int)
    types[::2] = 2
    sigma = np.array([[1.0, 0.8], [0.8, 0.88]])
    phi_s = df.neighbour_change(x0, x0 + 0.0, box, c=1.45, types=types, sigma=sigma)
    assert phi_s.sum() == 0
    pairs = df.neighbour_pairs(x0, box, 1.45, types=types, sigma=sigma)
    # 1.0 < 1.45*0.8 = 1.16 (AB), 1.0 < 1.45*0.88, 1.0 < 1.45; diagonal sqrt2 < 1.45 only for AA
    assert all(np.isclose(np.linalg.norm(x0[i] - x0[j]), 1.0) or (types[i] == types[j] == 1)
               for i, j in pairs if abs(np.linalg.norm(x0[i] - x0[j]) - 1.0) < 2)


def test_defect_statistics():
    rng = np.random.default_rng(3)
    phi = (rng.random((2000, 400)) < 0.1).astype(int)
    s = df.defect_statistics(phi)
    assert s["phi_mean"] == pytest.approx(0.1, abs=0.005)
    assert s["chi"] == pytest.approx(0.1 * 0.9, rel=0.15)     # independent sites: chi = p(1-p)
    assert np.isnan(df.defect_statistics(phi[:1])["chi"])


def test_d2min_zero_for_affine_and_positive_for_nonaffine():
    rng = np.random.default_rng(5)
    x0, box = _cubic(6, 1.1)
    x0 = x0 + 0.1 * rng.normal(size=x0.shape)
    # periodic: diagonal strain with the box deformed accordingly, plus a translation
    F = np.diag([1.02, 0.99, 1.005])
    x1 = x0 @ F.T + np.array([0.3, -0.2, 0.1])
    d2 = df.d2min(x0, x1, box, cutoff=1.6, box_len_final=box * np.diag(F))
    assert np.nanmax(d2) < 1e-20 and not np.isnan(d2).any()
    # general affine map (shear + rotation) in a box much larger than the cluster
    big = np.full(3, 100.0)
    y0 = x0 + 40.0
    th = 0.3
    R = np.array([[np.cos(th), -np.sin(th), 0], [np.sin(th), np.cos(th), 0], [0, 0, 1]])
    A = R @ np.array([[1, 0.05, 0], [0, 1, 0.02], [0, 0, 1]])
    y1 = (y0 - 50) @ A.T + 50
    d2 = df.d2min(y0, y1, big, cutoff=1.6)
    assert np.nanmax(d2) < 1e-20
    # non-affine: one particle kicked -> positive for it and its neighbours, zero far away
    x2 = x0.copy()
    x2[10] += [0.2, 0.0, 0.0]
    d2 = df.d2min(x0, x2, box, cutoff=1.6)
    assert d2[10] > 1e-3
    nb = _brute_neighbours(x0, box, 1.6)[10]
    assert np.all(d2[nb] > 0)
    far = ~nb & (np.arange(len(x0)) != 10) & ~np.any(_brute_neighbours(x0, box, 1.6)[nb], axis=0)
    assert np.allclose(d2[far], 0.0, atol=1e-20)


def test_first_minimum_of_scaled_gr():
    rng = np.random.default_rng(9)
    x0, box = _cubic(8, 1.0)
    x = x0 + 0.05 * rng.normal(size=x0.shape)
    # simple cubic: shells at 1, sqrt2 -> first minimum in between
    c = df.first_minimum_scaled_gr(x, box, diameters=np.ones(len(x)))
    assert 1.1 < c < 1.4
