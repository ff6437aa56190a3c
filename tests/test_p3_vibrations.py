"""P3: IS trajectories (Eqs. 5-7, far field) and MD mode lifetimes (Eqs. 8-9), constructed fields
and signals with known answers, and one real LAMMPS crystal at low T (no rearrangement,
equipartition, sum of mode energies = energy above the IS, no lifetime where E_k cannot decay)."""
import math

import numpy as np
import pytest

from glasstools.analysis import is_trajectory as ist
from glasstools.analysis import mode_lifetimes as ml


def test_participation_number_of_constructed_fields():
    rng = np.random.default_rng(1)
    one = np.zeros((50, 3))
    one[7] = [0.3, -0.1, 0.2]
    assert ist.participation_number(one) == pytest.approx(1.0, rel=1e-14)
    uniform = np.tile([0.01, 0.02, -0.03], (50, 1))
    assert ist.participation_number(uniform) == pytest.approx(50.0, rel=1e-12)
    # equal magnitudes, random directions: still N
    d = rng.normal(size=(40, 3))
    d /= np.linalg.norm(d, axis=1)[:, None]
    assert ist.participation_number(d) == pytest.approx(40.0, rel=1e-12)
    # |Δr| = 1 and 2: (1 + 4)^2 / (1 + 16)
    two = np.zeros((10, 3))
    two[0, 0], two[1, 1] = 1.0, 2.0
    assert ist.participation_number(two) == pytest.approx(25.0 / 17.0, rel=1e-14)


def test_step_norm_uses_minimum_image_across_the_boundary():
    L = np.array([5.0, 5.0, 5.0])
    prev = np.array([[0.01, 2.0, 2.0], [2.5, 2.5, 2.5]])
    cur = np.array([[4.98, 2.0, 2.0], [2.5, 2.5, 2.5]])   # moved by -0.03 through x = 0
    row = ist.step_row(prev, cur, prev, L, -1.0, -1.5, -1.0)
    assert row["dr"] == pytest.approx(0.03, rel=1e-9)
    assert row["dr_from_0"] == pytest.approx(0.03, rel=1e-9)
    assert row["dphi"] == pytest.approx(-0.5) and row["dphi_from_0"] == pytest.approx(-0.5)
    assert row["n_rearr"] == pytest.approx(1.0)


@pytest.mark.parametrize("a_true", [2.0, 2.7])
def test_far_field_fit_recovers_a_known_exponent(a_true):
    rng = np.random.default_rng(3)
    L = np.array([12.0, 12.0, 12.0])
    pos = rng.uniform(0, 12.0, size=(3000, 3))
    pos[0] = [0.2, 11.9, 0.3]                      # the core near a corner: minimum image matters
    d = pos - pos[0]
    d -= L * np.round(d / L)
    dist = np.linalg.norm(d, axis=1)
    direction = rng.normal(size=(3000, 3))
    direction /= np.linalg.norm(direction, axis=1)[:, None]
    mag = np.where(dist > 0, np.maximum(dist, 0.5) ** -a_true, 10.0)
    noise = np.exp(rng.normal(scale=0.05, size=3000))
    field = direction * (mag * noise)[:, None]
    fit = ist.far_field_exponent(field, pos, L, (2.0, None))
    assert fit["centre"] == 0 and fit["r_max"] == pytest.approx(6.0)
    assert fit["n_fit"] > 500
    assert fit["a"] == pytest.approx(a_true, abs=4 * fit["a_err"] + 0.01)
    assert fit["a_err"] < 0.02


def test_rearrangement_summary_counts_events_only():
    import pandas as pd

    steps = pd.DataFrame({"t": [0.1, 0.2, 0.3, 0.4], "dr": [1e-10, 0.2, 3e-10, 5e-4],
                          "dphi": [0.0, -0.3, 0.0, 1e-6], "event": [False, True, False, False]})
    s = ist.rearrangements(steps)
    assert s["events"] == 1 and s["rearranges"]
    assert s["max_dr"] == 0.2 and s["max_abs_dphi"] == pytest.approx(0.3)
    assert s["noise_floor"] == 5e-4


def _ar1(n, tau, dt, modes, rng):
    """Stationary Gaussian AR(1) signals with <x(t) x(0)> / <x^2> = exp(-t / tau) exactly."""
    phi = math.exp(-dt / tau)
    x = np.empty((n, modes))
    x[0] = rng.normal(size=modes)
    kicks = rng.normal(size=(n, modes)) * math.sqrt(1 - phi * phi)
    for k in range(1, n):
        x[k] = phi * x[k - 1] + kicks[k]
    return x


def test_energy_autocorrelation_of_a_known_exponential_gives_its_tau():
    rng = np.random.default_rng(5)
    tau, dt = 2.0, 0.1
    E = 1.0 + 0.3 * _ar1(40000, tau, dt, 8, rng)     # a mode energy with C(t) = exp(-t / tau)
    C, fluct = ml.energy_autocorrelation(E, 200)
    assert fluct.all()
    t = dt * np.arange(201)
    assert np.abs(C - np.exp(-t / tau)[:, None]).max() < 0.06
    life = ml.lifetimes(C, dt)
    assert life["decayed"].all()
    assert life["tau"].mean() == pytest.approx(tau, rel=0.03)
    # a decay slower than the largest lag is flagged, not reported
    slow = ml.lifetimes(ml.energy_autocorrelation(1.0 + _ar1(4000, 200.0, dt, 2, rng), 100)[0], dt)
    assert not slow["decayed"].any() and np.isnan(slow["tau"]).all()
    np.testing.assert_allclose(slow["lower_bound"], 10.0)


def test_harmonic_modes_keep_their_energy_and_get_no_lifetime():
    """Exact harmonic motion r(t) = r_IS + sum_k a_k cos(w_k t + p_k) e_k: E_k is constant (= a_k^2
    w_k^2 / 2), sum_k E_k is the harmonic energy, and no lifetime is reported."""
    rng = np.random.default_rng(7)
    n, d, K = 20, 3, 12
    vecs, _ = np.linalg.qr(rng.normal(size=(n * d, K)))
    w = np.sort(rng.uniform(0.5, 20.0, K))
    a, p = rng.uniform(0.01, 0.05, K), rng.uniform(0, 2 * np.pi, K)
    t = 0.1 * np.arange(400)
    ref = rng.uniform(0, 5, size=(n, d))
    A = a * np.cos(w * t[:, None] + p)
    V = -a * w * np.sin(w * t[:, None] + p)
    pos = ref + (A @ vecs.T).reshape(len(t), n, d)
    vel = (V @ vecs.T).reshape(len(t), n, d)
    amp, rate = ml.mode_amplitudes(pos, vel, ref, vecs)
    E = ml.mode_energies(amp, rate, w)
    np.testing.assert_allclose(E, np.broadcast_to(0.5 * a**2 * w**2, E.shape), rtol=1e-10)
    harmonic = 0.5 * (vel.reshape(len(t), -1) ** 2).sum(1) + 0.5 * np.einsum(
        "fk,k,fk->f", A, w**2, A)
    np.testing.assert_allclose(E.sum(axis=1), harmonic, rtol=1e-12)
    C, fluct = ml.energy_autocorrelation(E, 100)
    assert not fluct.any()
    assert not ml.lifetimes(C, 0.1, ml.energy_fluctuation(E, 1e-3))["decayed"].any()


def test_equipartition_bins_and_binned_lifetimes():
    omega = np.array([0.1, 0.4, 0.6, 0.7, 1.2])
    E = np.array([[1.0, 2.0, 3.0, 5.0, 4.0], [1.0, 2.0, 3.0, 5.0, 4.0]]) * 0.01
    eq = ml.equipartition(E, omega, 0.01, 0.5)
    np.testing.assert_allclose(eq["omega"], [0.25, 0.75, 1.25])
    np.testing.assert_allclose(eq["ratio"], [1.5, 4.0, 4.0])
    np.testing.assert_array_equal(eq["n_modes"], [2, 2, 1])
    b = ml.binned_lifetimes(omega, [1.0, 3.0, np.nan, 4.0, 2.0], [True, True, False, True, True], 0.5)
    np.testing.assert_allclose(b["tau_mean"], [2.0, 4.0, 2.0])
    np.testing.assert_array_equal(b["n_decayed"], [2, 1, 1])


def test_multiplets_group_degenerate_modes_only():
    omega = np.array([1.0, 1.0 + 1e-9, 2.0, 3.0, 3.0, 3.0 + 1e-3])
    np.testing.assert_array_equal(ml.multiplets(omega), [0, 0, 1, 2, 2, 3])
    np.testing.assert_array_equal(ml.multiplets(omega, rtol=0.0), [0, 1, 2, 3, 3, 4])
    np.testing.assert_array_equal(ml.multiplets(omega, rtol=1e-2), [0, 0, 1, 2, 2, 2])
    with pytest.raises(ValueError, match="ascending"):
        ml.multiplets(omega[::-1])


def test_multiplet_energy_keeps_its_lifetime_when_partners_exchange_energy():
    """A degenerate pair whose energy e(t) (C_e = exp(-t/20)) rotates between the partners with
    period pi / 0.3 (E_1 = e cos^2, E_2 = e sin^2, no decay): the per-mode C_k falls below 1/e
    within a rotation (tau ~ 2.8), the multiplet's C keeps tau = 20 (seeds 0-5: 13-24, the
    estimator's spread over 200 tau). A non-degenerate mode (tau = 5) is its own multiplet with
    exactly the per-mode numbers."""
    rng = np.random.default_rng(12)
    dt, n, T = 0.1, 40000, 0.01
    u = _ar1(n, 40.0, dt, 2, rng)                        # (u1^2 + u2^2)/2: mean 1, C = exp(-2t/40)
    e = T * 0.5 * (u[:, 0] ** 2 + u[:, 1] ** 2)
    rot = 0.3 * dt * np.arange(n)
    single = T * (1.0 + 0.6 * _ar1(n, 5.0, dt, 1, rng)[:, 0])
    E = np.stack([e * np.cos(rot) ** 2, e * np.sin(rot) ** 2, single], axis=1)
    omega = np.array([4.0, 4.0, 7.0])
    max_lag = 1000
    C, _ = ml.energy_autocorrelation(E, max_lag)
    per_mode = ml.lifetimes(C, dt, ml.energy_fluctuation(E, T))
    mult = ml.multiplet_lifetimes(E, omega, T, dt, max_lag)
    assert list(mult["size"]) == [2, 1] and list(mult["first"]) == [0, 2]
    np.testing.assert_allclose(mult["omega"], [4.0, 7.0])
    assert per_mode["decayed"][:2].all() and per_mode["tau"][:2].max() < 4.0
    assert mult["decayed"].all() and 12.0 < mult["tau"][0] < 26.0
    for c in ("tau", "tau_crossing", "decayed", "lower_bound"):
        assert mult[c].iloc[1] == per_mode[c].iloc[2]
    np.testing.assert_allclose(mult["e_mean_over_T"], [E[:, :2].sum(1).mean() / (2 * T), E[:, 2].mean() / T])


@pytest.fixture(scope="module")
def cold_crystal(tmp_path_factory):
    """FCC N = 256 of P3's crystal at T = 1e-4: NVT 2, NVE 3 with dumps every 0.1, IS trajectory."""
    from glasstools.lammps.vibrations import VibrationSettings, inherent_trajectory, vibration_run
    from glasstools.models import get_model

    out = tmp_path_factory.mktemp("p3_crystal")
    model = get_model("p3_ipl12", diameters=[1.0], fractions=[1.0])
    s = VibrationSettings(anneal_time=2.0, production_time=3.0)
    vibration_run(model, "crystal", N=256, density=1.015, T=1e-4, seed=4, dump_out=out / "traj.lammpstrj",
                  frames_out=out / "frames.parquet", log=out / "md.log", settings=s)
    summary = inherent_trajectory(model, out / "traj.lammpstrj", out, dt=s.dt, log=out / "is.log")
    return model, out, summary


def test_crystal_is_trajectory_has_no_rearrangement(cold_crystal):
    from glasstools.io.tables import read_table
    from glasstools.lammps.dump import iter_dump
    from glasstools.lammps.minimise import minimise

    model, out, summary = cold_crystal
    steps, md = read_table(out / "is_trajectory.parquet")
    assert len(steps) == 31 and steps["converged"].all()
    assert summary["events"] == 0 and not summary["rearranges"]
    assert summary["noise_floor"] < 1e-6             # minimiser noise, far below the threshold
    assert steps["dr_from_0"].max() < 1e-6
    assert np.abs(steps["dphi_from_0"]).max() < 1e-8 * abs(steps["phi_is"].iloc[0])
    assert len(read_table(out / "events.parquet")[0]) == 0
    # one session (quench_frames), frames scattered in turn = a fresh minimisation of the same frame
    last = list(iter_dump(out / "traj.lammpstrj"))[-1]
    fresh = minimise(model, last, "fire")
    assert fresh.energy == pytest.approx(steps["phi_is"].iloc[-1], rel=1e-12)


def test_cold_crystal_mode_energies(cold_crystal):
    """Harmonic limit: sum_k E_k = KE + PE - Phi_IS (T = 1e-4: anharmonic terms ~1e-4 relative);
    equipartition <E_k> = T within its error; in 3 time units no E_k can decay (tau ~ 1/T)."""
    from glasstools.io.tables import read_table
    from glasstools.lammps.vibrations import mode_lifetimes

    model, out, _ = cold_crystal
    bins = mode_lifetimes(model, out / "traj.lammpstrj", out / "IS0.lammpstrj", out / "frames.parquet",
                          out / "modes", T=1e-4, rearranges=False, theory_stride=0)
    energy, _ = read_table(out / "modes" / "energy.parquet")
    np.testing.assert_allclose(energy["sum_E"], energy["excess"], rtol=2e-3)
    modes, _ = read_table(out / "modes" / "modes.parquet")
    assert len(modes) == 3 * 256 - 3
    mean = modes["e_mean_over_T"].mean()
    err = modes["e_mean_over_T"].std() / math.sqrt(len(modes))
    assert abs(mean - 1.0) < 4 * err + 0.05
    assert (np.abs(bins["equipartition"] - 1) < 4 * bins["equipartition_err"] + 0.15).mean() > 0.8
    assert not modes["decayed"].any()
    msd, _ = read_table(out / "modes" / "msd.parquet")
    assert msd["msd"].max() < 1e-3                   # a plateau of vibrations (P3 Fig. 1)
