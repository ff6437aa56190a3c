"""P4 mesoelastic fit and IS-transition counting on constructed data with known answers."""
import math

import numpy as np
import pytest

from glasstools.analysis import is_transitions as ist
from glasstools.analysis import mesoelastic as meso


def _state_points(ell, t_tilde, density, T, kappa, noise=0.0, seed=3):
    """tau_alpha from P4 Eq. (3): ln(tau/t_0) = (ell a_0)^2 kappa/T + ln t_tilde (+ noise)."""
    a0 = density ** (-1 / 3)
    t0 = a0 / np.sqrt(T)
    eps = np.random.default_rng(seed).normal(0, noise, len(T))
    return t0 * t_tilde * np.exp((ell * a0) ** 2 * kappa / T + eps)


def test_units():
    assert meso.length_unit(0.82) == pytest.approx(1.0684, abs=1e-4)     # P4 Table I, a_0 of IPL
    assert meso.time_unit(0.82, 0.25) == pytest.approx(2 * 1.0684, abs=2e-4)


def test_fit_recovers_ell_and_t_tilde():
    T = np.array([2.0, 1.5, 1.0, 0.8, 0.65, 0.55, 0.5])
    kappa = 10.0 + 10.0 * (2.0 - T)                  # stiffer IS at lower parent T
    tau = _state_points(0.4, 0.1, 0.82, T, kappa)
    fit = meso.fit_mesoelastic(kappa, T, tau, 0.82, min_tau_ratio=1e-3, n_boot=200, seed=1)
    assert fit.ell == pytest.approx(0.4, rel=1e-10) and fit.t_tilde == pytest.approx(0.1, rel=1e-10)
    assert fit.n_points == 7 and fit.ell_err < 1e-10
    # with noise: recovered within the bootstrap error, and the error is seeded
    tau_n = _state_points(0.4, 0.1, 0.82, T, kappa, noise=0.05)
    f1 = meso.fit_mesoelastic(kappa, T, tau_n, 0.82, min_tau_ratio=1e-3, n_boot=300, seed=5)
    f2 = meso.fit_mesoelastic(kappa, T, tau_n, 0.82, min_tau_ratio=1e-3, n_boot=300, seed=5)
    assert f1.ell_err == f2.ell_err > 0
    assert abs(f1.ell - 0.4) < 3 * f1.ell_err and abs(f1.ln_t_tilde - math.log(0.1)) < 3 * f1.ln_t_tilde_err
    assert f1.ell_ci[0] < 0.4 < f1.ell_ci[1]
    # only the activated regime tau/t_0 >= 10 enters: a high-T point off the line is ignored
    ratio = tau / meso.time_unit(0.82, T)
    bad = tau.copy()
    bad[ratio < 10] *= 0.5                         # off the line, still below 10
    fit10 = meso.fit_mesoelastic(kappa, T, bad, 0.82, n_boot=50)
    assert fit10.n_points == int((ratio >= 10).sum()) >= 3
    assert fit10.ell == pytest.approx(0.4, rel=1e-10) and fit10.t_tilde == pytest.approx(0.1, rel=1e-10)
    # ell fixed (P4 for SS and SW): only t_tilde is fitted
    fix = meso.fit_mesoelastic(kappa, T, _state_points(0.4, 4e-9, 0.6, T, kappa), 0.6, ell=0.4,
                               min_tau_ratio=1e-12, n_boot=20)
    assert fix.ell_fixed and fix.ell == 0.4 and fix.t_tilde == pytest.approx(4e-9, rel=1e-10)


def test_fit_needs_two_activated_points():
    T = np.array([2.0, 1.0])
    with pytest.raises(ValueError, match="min_tau_ratio"):
        meso.fit_mesoelastic([10.0, 20.0], T, [0.1, 0.2], 1.2)


def test_is_jumps_and_rate():
    """Constructed IS energy sequence: plateaus with minimiser noise (1e-11) and 3 jumps, one of
    them a jump back to an earlier IS (counted); a tiny energy step below e_tol is not a jump."""
    U = np.array([-1000.0] * 5 + [-999.5] * 4 + [-1000.0] * 3 + [-1000.0 + 2e-9] * 2 + [-1001.2] * 6)
    U = U + np.random.default_rng(0).normal(0, 1e-11, len(U))
    jumps = ist.is_jumps(U, e_tol=1e-6)
    assert jumps.sum() == 3 and list(np.flatnonzero(jumps)) == [4, 8, 13]
    # with the IS displacements: a jump in energy without motion is not a transition
    dr = np.zeros(len(U) - 1)
    dr[[4, 13]] = 0.5
    assert list(np.flatnonzero(ist.is_jumps(U, 1e-6, dr, r_tol=0.05))) == [4, 13]
    r = ist.transition_rate(jumps, interval=0.05, N=500, t_ballistic=0.1)
    assert r.n_intervals == 19 and r.rate == pytest.approx(3 / (19 * 0.05))
    assert r.reduced_rate == pytest.approx(r.rate * 0.1 * 1000 / 500)
    assert r.reduced_cap == pytest.approx(0.1 * 1000 / (500 * 0.05)) and not r.saturated
    assert ist.transition_rate(np.ones(4, bool), 0.05, 500, 0.1).saturated


def test_transitions_table_along_a_run():
    """Four IS of N = 2 particles in a box of 4: IS 1 -> 2 moves particle 0 by 0.3 across the boundary
    (|Delta r_IS| = 0.3 by the minimum image) with an energy jump; 2 -> 3 changes the energy only."""
    x = np.array([[0.1, 1.0, 1.0], [2.0, 2.0, 2.0]])
    moved = x.copy()
    moved[0, 0] = 3.8                                   # 0.1 - 0.3 wrapped
    pos = [x, x.copy(), moved, moved]
    e = [-10.0, -10.0, -9.0, -8.0]
    table, rate = ist.transitions(e, pos, np.full(3, 4.0), 0.05, 1e-6, 0.05, 2, 0.1)
    assert table["t"].tolist() == pytest.approx([0.0, 0.05, 0.1, 0.15]) and table["e_is"].tolist() == [-5, -5, -4.5, -4]
    assert table["dr_is"].to_numpy() == pytest.approx([0.0, 0.0, 0.3, 0.0], abs=1e-12)
    assert table["jump"].tolist() == [False, False, True, False]
    assert (rate.n_transitions, rate.n_intervals, rate.N) == (1, 3, 2) and rate.rate == pytest.approx(1 / 0.15)
