"""P0's 2D systems and the harmonic limit of SD relaxation, against real LAMMPS.

* the analytic Hessian (2N x 2N) of each 2D model equals central finite differences of the
  forces LAMMPS computes in a ``dimension 2`` deck built by glasstools (data file, enforce2d);
* a 2D sample prepared and quenched by the glasstools protocols stays in the plane, and its
  inherent structure has exactly 2 zero modes (the translations) and no unstable mode;
* P0's truncated KA-LJ equals LAMMPS ``lj/cut`` (no shift), and differs from the force-shifted one;
* steepest descent of a harmonic crystal from an equipartitioned (thermal) start gives
  |v| ~ t^-beta with beta = beta_harm = D/4 + 1/2 = 1 in 2D (P0 App. B);
* ``dim`` is validated and threaded through the configuration.
"""
import copy

import numpy as np
import pytest

from conftest import LammpsConfig
from glasstools.analysis.hessian import energy_forces, hessian
from glasstools.analysis.modes import inm
from glasstools.analysis.relaxation import beta_harmonic, fit_beta_bootstrap
from glasstools.config import ConfigError, system_name, validate
from glasstools.configuration import Frame
from glasstools.lammps.deck import create_system, system_commands
from glasstools.lammps.dump import read_data_file, read_dump
from glasstools.lammps.protocols import SDSettings, prepare_sample, steepest_descent
from glasstools.lammps.session import lammps_session, open_lammps
from glasstools.models import get_model
from glasstools.systems import analytic_moments, write_random_start

KA_2D = {"fractions": [0.65, 0.35]}


class DeckConfig(LammpsConfig):
    """A LAMMPS instance set up by glasstools' own deck commands from a data file
    (``system_commands(model, data_in, dim)``: dimension, boundary, pair style, enforce2d)."""

    def __init__(self, model, data, dim, minimize_steps=0):
        self.model, self.dim = model, dim
        lmp = self.lmp = open_lammps()
        lmp.commands_list(system_commands(model, data_in=str(data), dim=dim) + [
            "neighbor 0.3 bin", "neigh_modify every 1 delay 0 check yes", "thermo_modify norm no"])
        if minimize_steps:
            lmp.command(f"minimize 0 0 {minimize_steps} {10 * minimize_steps}")
        self.n = lmp.get_natoms()
        self.types = self._gather("type", 0, 1).astype(int).ravel()
        lo, hi = lmp.extract_box()[:2]
        self.box_len = (np.array(hi) - np.array(lo))[:dim]
        if model.needs_diameters:
            self.diameters = 2.0 * self._gather("radius", 1, 1).ravel()
        lmp.command("run 0")


def _poly_2d(tmp_path, name, n, **kw):
    data = tmp_path / f"{name}.data"
    write_random_start(data, n, seed=3, dim=2, sampling="quantiles", **kw)
    return DeckConfig(get_model(name), data, 2, minimize_steps=30)


def _ka_2d(tmp_path, name="ka_lj_trunc", n=60, minimize_steps=30):
    model = get_model(name, **KA_2D)
    box = (n / 1.2) ** 0.5
    na = int(round(0.65 * n))
    return LammpsConfig(model, box, [na, n - na], seed=9, overlap=0.7, minimize_steps=minimize_steps, dim=2)


@pytest.mark.parametrize("case", ["ka_lj_trunc", "ka_lj_fs", "soft_spheres_poly", "harmonic_poly"])
def test_2d_hessian_matches_lammps_finite_differences(tmp_path, case):
    if case.startswith("ka"):
        cfg = _ka_2d(tmp_path, case)
    elif case == "soft_spheres_poly":
        cfg = _poly_2d(tmp_path, case, 48, density=1.0)
    else:
        cfg = _poly_2d(tmp_path, case, 48, phi=1.2)
    try:
        assert np.allclose(cfg._gather("x", 1, 3)[:, 2], 0.0)      # in the plane
        e, f = energy_forces(cfg.frame, cfg.model)
        assert abs(e - cfg.energy) <= 1e-10 * abs(cfg.energy)
        assert np.abs(f - cfg.forces).max() <= 1e-10 * np.abs(cfg.forces).max()
        h = hessian(cfg.frame, cfg.model)
        assert h.shape == (2 * cfg.n, 2 * cfg.n) and h.blocksize == (2, 2)
        fd = cfg.fd_hessian(h=1e-6)
        dense = h.toarray()
        assert np.abs(dense - fd).max() <= 1e-6 * np.abs(dense).max()
    finally:
        cfg.close()


def test_2d_sample_prepared_quenched_has_two_zero_modes(tmp_path):
    """Hybrid swap in 2D, SD to the IS, and the INM of that IS: 2N - 2 stable modes, 2 zero."""
    model = get_model("soft_spheres_poly")
    info = prepare_sample(model, N=64, density=1.0, T=0.3, seed=4, data_out=tmp_path / "s.data",
                          log=tmp_path / "prep.log", nvt_time=2.0, nve_time=0.5, dim=2,
                          swap={"every": 10, "attempts": 64, "delta": 0.2})
    assert info["dim"] == 2 and info["swap_accepted"] > 0
    assert info["box_len"] == pytest.approx(8.0)                    # L = (N / rho)^(1/2)
    start = read_data_file(tmp_path / "s.data", dim=2)
    res = steepest_descent(model, tmp_path / "s.data", tmp_path / "sd",
                           SDSettings(dt=1e-3, logW_targets=(-1.5, -3.0), W_is=1e-14, max_time=1e3),
                           log=tmp_path / "sd.log", dim=2)
    assert res.converged
    raw = np.loadtxt(tmp_path / "sd" / "IS.lammpstrj", skiprows=9)
    assert np.all(raw[:, 4] == 0.0)                                # z column of the 2D dump
    fr = read_dump(tmp_path / "sd" / "IS.lammpstrj", dim=2)
    assert np.array_equal(fr.diameters, start.diameters)
    h = hessian(fr, model).toarray()
    lam = np.linalg.eigvalsh(h)
    zero = np.abs(lam) < 1e-8 * lam.max()
    assert zero.sum() == 2 and lam[~zero].min() > 0
    r = inm(h, 2)
    assert r.n_modes == 2 * 64 - 2 and r.n_unstable == 0


def test_2d_ka_lj_prepared_in_a_square_box(tmp_path):
    """A type-based model (random start by create_atoms) in 2D: L = (N / rho)^(1/2), z = 0, 65:35."""
    model = get_model("ka_lj_trunc", **KA_2D)
    info = prepare_sample(model, N=60, density=1.2, T=1.0, seed=8, data_out=tmp_path / "ka.data",
                          log=tmp_path / "ka.log", nvt_time=0.5, nve_time=0.1, dim=2)
    fr = read_data_file(tmp_path / "ka.data", dim=2)
    assert fr.box_len == pytest.approx([(60 / 1.2) ** 0.5] * 2) and info["box_len"] == fr.box_len[0]
    assert np.bincount(fr.types)[1:].tolist() == [39, 21]
    raw = read_data_file(tmp_path / "ka.data", dim=3)
    assert np.all(raw.positions[:, 2] == 0.0) and raw.box_len[2] == pytest.approx(1.0)


@pytest.mark.parametrize("dim", [2, 3])
def test_truncated_ka_lj_matches_lammps_lj_cut(dim):
    n = 60 if dim == 2 else 300
    model = get_model("ka_lj_trunc", **(KA_2D if dim == 2 else {}))
    x = model.fractions[0]
    box = (n / 1.2) ** (1.0 / dim)
    cfg = LammpsConfig(model, box, [int(round(x * n)), n - int(round(x * n))], seed=5, overlap=0.7,
                       minimize_steps=10, dim=dim)
    try:
        assert "pair_modify shift no" in model.lammps_commands()
        e, f = energy_forces(cfg.frame, model)
        assert abs(e - cfg.energy) <= 1e-10 * abs(cfg.energy)
        assert np.abs(f - cfg.forces).max() <= 1e-10 * np.abs(cfg.forces).max()
        # not the force-shifted model: the truncated energy is lower by the missing shifts
        e_fs, f_fs = energy_forces(cfg.frame, get_model("ka_lj_fs", **(KA_2D if dim == 2 else {})))
        assert e - e_fs < -1e-3 * abs(e) and np.abs(f - f_fs).max() > 1e-3
    finally:
        cfg.close()


def test_truncated_ka_lj_jumps_at_the_cutoff():
    """U(r_c^-) = U_LJ(r_c) = 4 eps (2.5^-12 - 2.5^-6) for the truncated model, 0 force-shifted."""
    p = get_model("ka_lj_trunc").pair_terms(np.array([1, 1, 2]), np.array([1, 2, 2])).params
    rc = 2.5 * p["sig"]
    below = get_model("ka_lj_trunc").u(rc * (1 - 1e-12), p)
    jump = 4 * p["eps"] * (2.5**-12 - 2.5**-6)
    assert np.allclose(below, jump, rtol=1e-9) and np.all(get_model("ka_lj_trunc").u(rc, p) == 0)
    assert np.allclose(get_model("ka_lj_fs").u(rc * (1 - 1e-12), p), 0.0, atol=1e-12)


def _triangular(nx=30, ny=34, a=0.92):
    i, j = np.meshgrid(np.arange(nx), np.arange(ny), indexing="ij")
    pos = np.column_stack([((i + 0.5 * (j % 2)) * a).ravel(), (j * a * np.sqrt(3) / 2).ravel()])
    return pos, np.array([nx * a, ny * a * np.sqrt(3) / 2])


def test_sd_of_harmonic_crystal_gives_beta_harm(tmp_path):
    """P0 App. B: a harmonic system quenched from a thermal state relaxes as |v| ~ t^-(D/4 + 1/2).

    A compressed triangular crystal of harmonic discs (d = 1, spacing 0.92: nearest neighbours
    only, N = 1020) gets the thermal displacement sum_a s_a sqrt(T / lambda_a) e_a (equipartition,
    random signs s_a, T = 1e-6), then LAMMPS SD (the glasstools protocol, dim = 2). Measured
    here: beta = 1.022 on t in [2, 30] (1/lambda_max << t << 1/lambda_min), and the LAMMPS W(t)
    equals the harmonic mode sum (1/N) sum_a lambda_a^2 c_a(t)^2 of the explicit Euler map
    c_a -> (1 - lambda_a dt) c_a (-> e^{-lambda_a t} for lambda_a dt << 1)."""
    model = get_model("harmonic_spheres")
    pos, L = _triangular()
    n = len(pos)
    lam, vec = np.linalg.eigh(hessian(Frame(pos, L, 1), model).toarray())
    lam, vec = lam[2:], vec[:, 2:]                                    # drop the 2 translations
    T = 1e-6
    c = np.random.default_rng(7).choice([-1.0, 1.0], lam.size) * np.sqrt(T / lam)
    start = pos + (vec @ c).reshape(n, 2)
    data = tmp_path / "crystal.data"
    with lammps_session(model=model) as lmp:
        create_system(lmp, model, np.ones(n, int), start, np.zeros(2), L)
        lmp.command(f"write_data {data} nocoeff")
    res = steepest_descent(model, data, tmp_path / "sd",
                           SDSettings(dt=0.05, logW_targets=(-7.0,), W_is=1e-30, max_time=40.0,
                                      per_decade=20), log=tmp_path / "sd.log", dim=2)
    import pandas as pd

    traj = pd.DataFrame(res.trajectory).assign(sample=0)
    # explicit Euler on each mode: c_a -> (1 - lambda_a dt) c_a per step (dt/20 up to t = 0.02)
    steps = np.rint((traj["t"].to_numpy() - 0.02) / 0.05)[:, None]
    amp = (1 - lam * 0.0025) ** 8 * (1 - lam * 0.05) ** steps
    late = (traj["t"] > 0.1).to_numpy()
    W_modes = ((lam * c * amp[late]) ** 2).sum(axis=1) / n
    assert np.allclose(traj["W"][late], W_modes, rtol=1e-3)
    fit = fit_beta_bootstrap(traj, (2.0, 30.0), per_decade=20, n_boot=0)
    print("beta_harm fit", fit["beta"], fit["beta_fit_err"])
    assert fit["beta"] == pytest.approx(beta_harmonic(2), abs=0.08)
    assert abs(fit["beta"] - beta_harmonic(3)) > 0.15                # the 3D value is excluded


BASE = {"seed": 1, "systems": [{"model": "ka_lj_trunc", "model_params": KA_2D, "dim": 2, "N": 100,
                                "T": 1.0, "density": 1.2, "samples": 1}]}


def test_config_dim_validated_and_threaded():
    cfg = validate(BASE)
    s = cfg["systems"][0]
    assert s["dim"] == 2 and system_name(s) == "ka_lj_trunc_2d/N100/T1"
    # L = (100 / 1.2)^(1/2) = 9.13 holds 2 r_c = 5; the 3D formula (L = 4.37) would refuse it
    assert s["fit"]["xi_window"][1] == pytest.approx(0.5 * (100 / 1.2) ** 0.5)
    assert validate({**BASE, "systems": [{**BASE["systems"][0], "dim": 3, "N": 500,
                                          "model_params": {}}]})["systems"][0]["dim"] == 3
    for bad, words in (({"dim": 4}, ["'dim'", "[2, 3]"]), ({"dim": 1}, ["'dim'"]),
                       ({"clones": {"n": 2}}, ["clones", "3D only"])):
        c = copy.deepcopy(BASE)
        c["systems"][0].update(bad)
        with pytest.raises(ConfigError) as err:
            validate(c)
        assert all(w in str(err.value) for w in words), str(err.value)
    # 2D packing fraction: rho = phi / (pi/4 <d^2>)
    hp = validate({"seed": 1, "systems": [{"model": "harmonic_poly", "dim": 2, "N": 256, "T": "inf",
                                           "packing_fraction": 1.2, "samples": 1}]})["systems"][0]
    assert hp["density"] == pytest.approx(1.2 / (np.pi / 4 * analytic_moments(0.449)["mean_sq"]))
