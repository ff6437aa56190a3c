"""Relaxation analysis on synthetic SD data with exact power laws (W = A t^-nu, W = c f_u^b)."""
import numpy as np
import pandas as pd
import pytest

from glasstools.analysis import relaxation as rx
from glasstools.plots.modes import plot_unstable_spectra
from glasstools.plots.relaxation import plot_v_of_t, plot_w_of_t, plot_w_vs_fu

NU, B, C, E_INF = 1.7, 2.0, 0.3, -7.0
LEVELS = -np.arange(3, 19) / 2.0  # log10 W = -1.5, -2, ..., -9 (P1)


def make_traj(n=12, seed=1, noise=0.0):
    """Per-sample W = A_s t^-NU on jittered log-spaced times, t=0 row, random end times."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(n):
        a = 0.5 * np.exp(0.3 * rng.standard_normal())
        t_end = 10 ** rng.uniform(2.0, 4.0)
        t = np.sort(10 ** rng.uniform(-3, np.log10(t_end), 120))
        t = np.concatenate([[0.0], t, [t_end]])
        tt = np.where(t > 0, t, 1.0)  # the t = 0 row gets W = 1e3 below
        w = a * tt**-NU * np.exp(noise * rng.standard_normal(t.size))
        w[0] = 1e3
        e = E_INF + a * tt ** (1 - NU) / (NU - 1)
        rows.append(pd.DataFrame({"sample": s, "step": np.arange(t.size), "t": t, "W": w,
                                  "e_pot": e, "v_abs": np.sqrt(w)}))
    return pd.concat(rows, ignore_index=True)


def make_fixed(n=20, seed=2, fu_noise=0.0, w_jitter=True, b=B):
    """Fixed-W rows: W <= 10**level, t = first crossing of A_s t^-NU, f_u = (W/C)^(1/b)."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(n):
        a = 0.5 * np.exp(0.3 * rng.standard_normal())
        w = 10.0**LEVELS * (rng.uniform(0.6, 1.0, LEVELS.size) if w_jitter else 1.0)
        t = (a / w) ** (1 / NU)
        fu = (w / C) ** (1 / b) * np.exp(fu_noise * rng.standard_normal(LEVELS.size))
        rows.append(pd.DataFrame({
            "sample": s, "logW_target": LEVELS, "t": t, "W": w,
            "e_pot": E_INF + a * t ** (1 - NU) / (NU - 1), "f_u": fu,
            "n_unstable": np.round(fu * 2997).astype(int), "n_modes": 2997}))
    return pd.concat(rows, ignore_index=True)


def test_log_time_grid_decade_aligned():
    g = rx.log_time_grid(0.05, 100.0, per_decade=10)
    assert g[0] == pytest.approx(10**-1.3) and g[-1] == pytest.approx(100.0)
    assert np.allclose(np.diff(np.log10(g)), 0.1)
    assert rx.log_time_grid(1.0, 1.0).tolist() == [1.0]


def test_fit_power_law_exact_and_degenerate():
    x = np.geomspace(1, 100, 20)
    f = rx.fit_power_law(x, 3 * x**-1.7, window=(2, 50))
    assert f["exponent"] == pytest.approx(-1.7) and f["prefactor"] == pytest.approx(3)
    assert f["n_points"] == np.sum((x >= 2) & (x <= 50))
    assert np.isnan(rx.fit_power_law(x, x, window=(1000, 2000))["exponent"])


def test_relaxation_exponent_exact_power_law():
    traj = make_traj()
    r = rx.fit_relaxation_exponent(traj, window=(1e-1, 1e1))
    assert 2 * r["beta"] == pytest.approx(NU, abs=1e-9)
    assert r["beta_v"] == pytest.approx(r["beta"], abs=1e-12)  # |v| = sqrt(W)
    np.testing.assert_allclose(r["per_sample"]["beta_v"], r["per_sample"]["beta"], atol=1e-12)
    assert r["n_samples"] == 12 and r["window"] == (1e-1, 1e1)
    # prefactor noise is time independent: the ensemble means are exact power laws too
    for k in ("beta_ens", "beta_ens_geo", "beta_v_ens"):
        assert r[k] == pytest.approx(NU / 2, abs=1e-6), k
    assert r["n_grid_points"] == 21


def test_relaxation_exponent_noisy_within_error():
    r = rx.fit_relaxation_exponent(make_traj(n=30, noise=0.3), window=(1e-2, 1e2))
    assert abs(2 * r["beta"] - NU) < 0.03
    assert abs(r["beta"] - NU / 2) < 4 * r["beta_err"] + 1e-3
    assert r["beta_v"] == pytest.approx(r["beta"], abs=1e-10)
    assert abs(r["beta_ens"] - NU / 2) < 0.02


def test_ensemble_never_extrapolates():
    traj = make_traj()
    ends = traj.groupby("sample")["t"].max().to_numpy()
    starts = traj[traj["t"] > 0].groupby("sample")["t"].min().to_numpy()
    grid = rx.log_time_grid(1e-4, 1e5, per_decade=5)
    ens = rx.ensemble_on_log_grid(traj, grid)
    expect = [np.sum((starts <= t) & (ends >= t)) for t in grid]
    assert ens["n_samples"].tolist() == expect
    assert (ens["W_n"] == ens["n_samples"]).all() and (ens["e_pot_n"] == ens["n_samples"]).all()
    assert ens["n_samples"].iloc[-1] == 0 and np.isnan(ens["W_mean"].iloc[-1])
    assert ens["n_samples"].iloc[0] == 0  # before the first t > 0: t = 0 row is not used
    # where samples have ended, the mean is over the survivors only (exact power law)
    a = traj[traj["step"] == 1].set_index("sample")["W"] * traj[traj["step"] == 1].set_index(
        "sample")["t"] ** NU
    for t, w, n in ens[["t", "W_mean", "n_samples"]].to_numpy():
        if n > 0:
            assert w == pytest.approx(np.mean(a.to_numpy()[(starts <= t) & (ends >= t)]) * t**-NU,
                                      rel=1e-9)
    cov = ens[ens["n_samples"] > 0]
    assert (cov["W_gmean"] <= cov["W_mean"] * (1 + 1e-12)).all()  # AM-GM


def test_fixed_w_averages_columns():
    fixed = make_fixed()
    a = rx.fixed_w_averages(fixed)
    assert a["logW_target"].tolist() == sorted(LEVELS, reverse=True)
    assert (a["n_samples"] == 20).all()
    assert a["W_mean"].le(10.0 ** a["logW_target"]).all()
    assert np.all(np.diff(a["t_mean"]) > 0)
    for c in ("t", "W", "e_pot", "f_u", "log10_t", "log10_W"):
        assert {f"{c}_mean", f"{c}_sem"} <= set(a.columns)


def test_w_vs_fu_exponent():
    f = rx.fit_w_vs_fu(make_fixed(), n_boot=200)
    assert f["b"] == pytest.approx(B, abs=1e-9) and f["c"] == pytest.approx(C, rel=1e-9)
    assert f["b_err"] < 1e-8 and f["n_samples"] == 20 and f["n_levels"] == LEVELS.size
    noisy = make_fixed(n=40, fu_noise=0.4)
    fn = rx.fit_w_vs_fu(noisy, window=(-7, -1.5), n_boot=200, seed=3)
    assert abs(fn["b"] - B) < 4 * fn["b_err"] + 0.02 and 0 < fn["b_err"] < 0.2
    assert fn["n_levels"] == 12
    assert rx.fit_w_vs_fu(noisy, window=(-7, -1.5), n_boot=200, seed=3)["b_err"] == fn["b_err"]


def test_w_vs_fu_ignores_zero_fu():
    fixed = make_fixed()
    fixed.loc[fixed["logW_target"] == -9.0, "f_u"] = 0.0
    f = rx.fit_w_vs_fu(fixed, n_boot=10)
    assert f["b"] == pytest.approx(B, abs=1e-9) and f["n_levels"] == LEVELS.size - 1
    # a glass with no unstable mode at any level: no fit (NaN, 0 levels), no exception, and the
    # flatness table still builds
    fixed["f_u"] = 0.0
    f = rx.fit_w_vs_fu(fixed, window=(-3.5, -1.5), n_boot=10)
    assert np.isnan(f["b"]) and np.isnan(f["b_err"]) and f["n_levels"] == 0 and f["n_samples"] == 20
    assert len(rx.flatness(fixed, f)) == LEVELS.size - 1


@pytest.mark.parametrize("b", [2.0, 2.3])
def test_flatness_eq10_matches_analytic(b):
    fixed = make_fixed(w_jitter=False, b=b)
    fl = rx.flatness(fixed, fit={"b": b, "c": C})
    a_g = 10 ** np.mean(np.log10(fixed.groupby("sample").apply(
        lambda g: (g["W"] * g["t"] ** NU).iloc[0], include_groups=False)))
    w_mid = 10 ** ((LEVELS[:-1] + LEVELS[1:]) / 2)
    t_mid = (a_g / w_mid) ** (1 / NU)
    np.testing.assert_allclose(fl["W_mid"], w_mid, rtol=1e-12)
    np.testing.assert_allclose(fl["dlogW_dlogt"], -NU, rtol=1e-12)
    np.testing.assert_allclose(fl["dWdt"], -NU * w_mid / t_mid, rtol=1e-10)
    analytic = w_mid ** (2 - 1 / b) / (NU * w_mid / t_mid)  # P1 Eq. (10); Eq. (9) at b = 2
    np.testing.assert_allclose(fl["dVdfu_eq10"], analytic, rtol=1e-10)
    # with the prefactor restored, Eq. (10) agrees with the direct Delta e / Delta f_u (Eq. 7)
    np.testing.assert_allclose(fl["dVdfu_eq10_full"], fl["dVdfu_direct"], rtol=0.03)
    assert len(fl) == LEVELS.size - 1 and (fl["n_samples"] == 20).all()


def test_flatness_uses_fitted_b_by_default():
    fixed = make_fixed()
    fl = rx.flatness(fixed)
    assert fl["b"].iloc[0] == pytest.approx(B, abs=1e-9)
    assert np.all(fl["dVdfu_direct"] > 0) and np.all(np.isfinite(fl["dVdfu_eq10"]))


def _is_png(path):
    return path.stat().st_size > 1000 and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plots_write_png(tmp_path):
    traj, fixed = make_traj(n=4), make_fixed(n=4)
    grid = rx.log_time_grid(1e-3, 1e4, per_decade=4)
    ens = {"T = 2.0": rx.ensemble_on_log_grid(traj, grid),
           "T = 0.45": rx.ensemble_on_log_grid(make_traj(n=4, seed=5), grid)}
    fits = {"T = 2.0": rx.fit_relaxation_exponent(traj, (1e-1, 1e1))}
    plot_w_of_t(ens, tmp_path / "w.png", title="KA-LJ N=1000")
    plot_v_of_t(ens, fits, tmp_path / "v.png")
    plot_w_vs_fu({"T = 2.0": fixed}, {"T = 2.0": rx.fit_w_vs_fu(fixed, n_boot=20)},
                 tmp_path / "wfu.png")
    lam = np.linspace(-5, 50, 12)
    spectra = pd.concat([pd.DataFrame({"logW_target": lw, "lam": lam,
                                       "density": np.exp(-(lam - 20) ** 2 / 200) * 10**(lw / 4),
                                       "P": 0.3 + 0 * lam}) for lw in (-2.0, -4.0, -6.0)])
    plot_unstable_spectra(spectra, tmp_path / "spec.png")
    plot_unstable_spectra(spectra.drop(columns="P"), tmp_path / "spec2.png")
    # one sample: errors undefined (NaN) must not break the labels
    one = rx.fit_relaxation_exponent(make_traj(n=1), (1e-1, 1e1))
    assert np.isnan(one["beta_err"])
    plot_v_of_t({"T = 2.0": ens["T = 2.0"]}, {"T = 2.0": one}, tmp_path / "v1.png")
    plot_w_vs_fu({"T = 2.0": make_fixed(n=1)}, {"T = 2.0": rx.fit_w_vs_fu(make_fixed(n=1), n_boot=1)},
                 tmp_path / "wfu1.png")
    stable = make_fixed(n=2).assign(f_u=0.0)   # no unstable mode anywhere: a figure that says so
    plot_w_vs_fu({"T = 0.1": stable}, {"T = 0.1": rx.fit_w_vs_fu(stable, n_boot=2)}, tmp_path / "wfu0.png")
    names = ("w", "v", "wfu", "spec", "spec2", "v1", "wfu1", "wfu0")
    for name in names:
        assert _is_png(tmp_path / f"{name}.png"), name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.png" for n in names)
