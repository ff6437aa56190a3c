"""glasstools.analysis.dynamics: F_s(q, t), MSD, tau_alpha and S(q) against known answers."""
import math

import numpy as np
import pytest
from scipy.special import j0

from glasstools.analysis import dynamics as dyn


def _random_walk(frames, n, dim, sigma, seed=1):
    rng = np.random.default_rng(seed)
    steps = rng.normal(0.0, sigma, (frames - 1, n, dim))
    start = rng.random((1, n, dim)) * 10
    return np.concatenate([start, start + np.cumsum(steps, axis=0)])


@pytest.mark.parametrize("method", ["axes", "isotropic"])
def test_gaussian_displacements(method):
    """Gaussian displacements with <dx^2> = k sigma^2 per direction: F_s = exp(-q^2 k sigma^2 / 2)
    for both direction averages; MSD = D k sigma^2."""
    sigma, q = 0.1, 7.0
    pos = _random_walk(12, 20000, 3, sigma)
    F = dyn.self_intermediate_scattering(pos, q, method=method)
    k = np.arange(12)
    exact = np.exp(-0.5 * q * q * sigma * sigma * k)
    # statistical error of a mean of ~1e5 bounded terms: a few 1e-3
    np.testing.assert_allclose(F, exact, atol=6e-3)
    assert F[0] == 1.0
    msd = dyn.mean_squared_displacement(pos)
    np.testing.assert_allclose(msd, 3 * sigma**2 * k, rtol=0.02)


def test_ballistic_exact():
    """Deterministic ballistic motion along x with speed v: per-axis average
    (cos(q v t) + 2)/3, exact isotropic average sin(q v t)/(q v t), MSD = v^2 t^2."""
    v, q, n = 0.3, 5.0, 7
    t = np.arange(10.0)
    r0 = np.random.default_rng(2).random((n, 3))
    pos = r0[None] + t[:, None, None] * np.array([v, 0.0, 0.0])
    F_axes = dyn.self_intermediate_scattering(pos, q, method="axes")
    np.testing.assert_allclose(F_axes, (np.cos(q * v * t) + 2.0) / 3.0, atol=1e-12)
    F_iso = dyn.self_intermediate_scattering(pos, q, method="isotropic")
    np.testing.assert_allclose(F_iso, np.sinc(q * v * t / np.pi), atol=1e-12)
    np.testing.assert_allclose(dyn.mean_squared_displacement(pos), (v * t) ** 2, atol=1e-12)
    # 2D exact isotropic average is J0(q |dr|)
    F2 = dyn.self_intermediate_scattering(pos[:, :, :2], q, method="isotropic")
    np.testing.assert_allclose(F2, j0(q * v * t), atol=1e-12)


def test_selection_fixed_and_per_origin():
    """Only the selected particles count; a (frames, N) mask is read at the time origin."""
    t = np.arange(6.0)
    n = 4
    vel = np.array([[0.2, 0, 0], [0.2, 0, 0], [0.5, 0, 0], [0.5, 0, 0]])
    pos = np.zeros((1, n, 3)) + t[:, None, None] * vel[None]
    q = 3.0
    sel = np.array([True, True, False, False])
    F = dyn.self_intermediate_scattering(pos, q, select=sel)
    np.testing.assert_allclose(F, (np.cos(q * 0.2 * t) + 2) / 3, atol=1e-12)
    # per-origin selection: the fast pair selected at origin 0 only, the slow pair afterwards
    per = np.zeros((6, n), bool)
    per[0, 2:] = True
    per[1:, :2] = True
    msd = dyn.mean_squared_displacement(pos, select=per, lags=[5])
    assert msd[0] == pytest.approx((0.5 * 5) ** 2)  # lag 5 has the single origin 0
    msd1 = dyn.mean_squared_displacement(pos, select=per, lags=[1])
    # origins 0..4: one fast (origin 0) and four slow origins, two particles each
    assert msd1[0] == pytest.approx((0.25 + 4 * 0.04) / 5)


def test_origin_stride_and_lags():
    pos = _random_walk(20, 50, 3, 0.1, seed=3)
    full = dyn.mean_squared_displacement(pos)
    sub = dyn.mean_squared_displacement(pos, lags=[0, 3, 7])
    np.testing.assert_allclose(sub, full[[0, 3, 7]])
    strided = dyn.mean_squared_displacement(pos, lags=[3], origin_stride=5)
    o = np.arange(0, 17, 5)
    direct = ((pos[o + 3] - pos[o]) ** 2).sum(-1).mean()
    assert strided[0] == pytest.approx(direct)
    with pytest.raises(ValueError):
        dyn.mean_squared_displacement(pos[0])
    with pytest.raises(ValueError):
        dyn.self_intermediate_scattering(pos, 1.0, method="bogus")


def test_relaxation_time():
    tau = 3.7
    t = np.logspace(-2, 2, 81)
    res = dyn.relaxation_time(t, np.exp(-t / tau))
    assert res.reached and res.tau == pytest.approx(tau, rel=2e-3)
    # stretched exponential: F = e^-1 exactly at t = tau whatever the exponent
    res = dyn.relaxation_time(t, np.exp(-((t / tau) ** 0.6)))
    assert res.tau == pytest.approx(tau, rel=2e-3)
    # P4's threshold 0.2
    res = dyn.relaxation_time(t, np.exp(-t / tau), threshold=0.2)
    assert res.tau == pytest.approx(-tau * math.log(0.2), rel=2e-3)
    # never reached: NaN + flag, the run length is a lower bound
    res = dyn.relaxation_time(t, 0.9 * np.ones_like(t))
    assert math.isnan(res.tau) and not res.reached and res.lower_bound == 100.0


def test_structure_factor_lattice_and_gas():
    """Simple cubic lattice of spacing a in a box of 4 a: the only lattice vectors with
    |n| = 4 are the axes (Bragg peaks, S = N), so the narrow |q| = 2 pi / a shell has S = N and is
    the maximum; an ideal gas has S ~ 1."""
    a, m = 1.0, 4
    g = np.arange(m) * a
    pos = np.stack(np.meshgrid(g, g, g, indexing="ij"), -1).reshape(-1, 3) + 0.1
    width = 0.1 * 2 * math.pi / (m * a)
    q, S, cnt = dyn.structure_factor(pos, m * a, q_max=8.0, bin_width=width)
    peak = np.argmax(S)
    assert q[peak] == pytest.approx(2 * math.pi / a, rel=1e-9)
    assert cnt[peak] == 3 and S[peak] == pytest.approx(len(pos), rel=1e-9)
    assert dyn.first_peak_q(pos, m * a, q_max=8.0, bin_width=width) == pytest.approx(2 * math.pi / a)
    gas = np.random.default_rng(4).random((4000, 3)) * 15.0
    _, Sg, cg = dyn.structure_factor(gas, 15.0, q_max=6.0)
    assert abs(np.average(Sg, weights=cg) - 1.0) < 0.05


def test_tau_alpha_p4_convention_interpolation():
    """P4: tau_alpha at F_s = 0.2 (option e^-1) on a constructed F_s that is linear in ln t
    between coarse points (factor 10 apart): the crossing is exact only for interpolation in
    ln t (linear in t would give 0.2 at t = 55 instead of 10^1.5 = 31.6); the first crossing
    counts even when noise brings F_s back above the threshold later."""
    t = np.array([0.0, 0.1, 1.0, 10.0, 100.0, 1000.0, 2000.0])
    F = np.array([1.0, 0.95, 0.8, 0.5, -0.1, 0.25, 0.0])   # recrosses 0.2 at t = 1000
    # between t = 10 (0.5) and 100 (-0.1): F = 0.5 - 0.6 log10(t / 10)
    tau02 = dyn.relaxation_time(t, F, threshold=0.2)
    assert tau02.reached and tau02.tau == pytest.approx(10 ** 1.5, rel=1e-12)
    taue = dyn.relaxation_time(t, F)
    assert taue.threshold == pytest.approx(math.exp(-1))
    assert taue.tau == pytest.approx(10 * 10 ** ((0.5 - math.exp(-1)) / 0.6), rel=1e-12)
    assert taue.tau < tau02.tau


def test_diffusion_coefficient_window():
    """MSD = t^2 / 2 (ballistic) for t < 3, then 6 D t + c: D is the slope in the stated window
    only; a window reaching into the ballistic part gives a different number."""
    D = 0.037
    t = np.linspace(0.0, 50.0, 501)
    msd = np.where(t < 3.0, 0.5 * t**2, 4.5 + 6 * D * (t - 3.0))
    res = dyn.diffusion_coefficient(t, msd, (5.0, 50.0))
    assert res.D == pytest.approx(D, rel=1e-10) and res.D_err < 1e-10 and res.n_points == 451
    assert dyn.diffusion_coefficient(t, msd, (5.0, 50.0), dim=2).D == pytest.approx(1.5 * D)
    assert dyn.diffusion_coefficient(t, msd, (0.0, 50.0)).D != pytest.approx(D, rel=0.05)
    # 2D: MSD = 4 D t
    assert dyn.diffusion_coefficient(t, 4 * D * t, (1.0, 50.0), dim=2).D == pytest.approx(D)
    with pytest.raises(ValueError, match="t_window"):
        dyn.diffusion_coefficient(t, msd, (60.0, 70.0))
