"""P4's models (SCIENCE_P3_P4 §2.1): constants (smoothness at x_min and x_c, cutoffs), numpy energies
and forces against LAMMPS (mBLJ exact style, IPL-10 and sticky spheres through pair_style table),
Stillinger-Weber (three-body) energies, forces and the analytic Hessian against LAMMPS and finite
differences of LAMMPS forces, and the config accepting the models at their Table I state points."""
import numpy as np
import pytest
from conftest import LammpsConfig

from glasstools.analysis.hessian import energy_forces, hessian
from glasstools.config import validate
from glasstools.linalg import translation_basis
from glasstools.models import MODELS, get_model
from glasstools.models.pair_table import table_commands

P4 = ("p4_ipl10", "p4_mblj", "p4_sticky_spheres", "p4_sw")


@pytest.fixture
def table_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GLASSTOOLS_TABLE_CACHE", str(tmp_path / "tables"))
    return tmp_path / "tables"


def _derivs(model, x, lam=1.0):
    p = {"lam": np.full(len(x), lam)}
    return np.array([model.derivative(n, np.asarray(x, float) * lam, p) for n in range(4)])


def test_ipl10_smooth_to_q3_at_xc():
    m = get_model("p4_ipl10")
    for lam in (1.0, 1.18, 1.4):
        left = _derivs(m, [np.nextafter(1.48, 0)], lam)[:, 0]
        np.testing.assert_allclose(left, 0.0, atol=1e-10)          # phi .. phi''' vanish (q = 3)
    inside = _derivs(m, [1.0])[:, 0]
    assert inside[0] > 0 and inside[1] < 0 and inside[2] > 0       # repulsive, convex
    assert [m.pair_terms([a], [b]).cutoff[0] for a, b in ((1, 1), (1, 2), (2, 2))] == pytest.approx(
        [1.48, 1.7464, 2.072], abs=1e-12)
    assert m.fractions == (0.5, 0.5) and m.state_point["rho"] == 0.82


def test_sticky_spheres_continuity_and_cutoffs():
    m = get_model("p4_sticky_spheres")
    xm, xc = 2 ** (1 / 6), 1.2 * 2 ** (1 / 6)
    below, at = _derivs(m, [np.nextafter(xm, 0), xm]).T
    np.testing.assert_allclose(at[:3], below[:3], rtol=0, atol=1e-9 * 60)   # phi, phi', phi'' continuous
    assert at[0] == pytest.approx(-1.0, abs=1e-10) and abs(at[1]) < 1e-10  # LJ minimum, depth -eps
    assert abs(at[3] - below[3]) > 1e3                                     # phi''' jumps (documented)
    np.testing.assert_allclose(_derivs(m, [np.nextafter(xc, 0)])[:3, 0], 0.0, atol=1e-9)
    assert [m.pair_terms([a], [b]).cutoff[0] for a, b in ((1, 1), (1, 2), (2, 2))] == pytest.approx(
        [1.3470, 1.5894, 1.8857], abs=1e-4)


def test_mblj_cutoffs_and_ka_unchanged():
    m, ka = get_model("p4_mblj"), get_model("ka_lj_fs")
    t1, t2 = np.array([1, 1, 2]), np.array([1, 2, 2])
    terms = m.pair_terms(t1, t2)
    np.testing.assert_array_equal(terms.cutoff, [1.5, 2.0, 1.5])
    np.testing.assert_array_equal(ka.pair_terms(t1, t2).cutoff, 2.5 * np.array([1.0, 0.8, 0.88]))
    rc = np.nextafter(terms.cutoff, 0)
    np.testing.assert_allclose(m.u(rc, terms.params), 0, atol=1e-14)
    np.testing.assert_allclose(m.du(rc, terms.params), 0, atol=1e-13)
    assert m.u(np.array([1.45]), m.pair_terms([1], [1]).params)[0] != ka.u(np.array([1.45]), ka.pair_terms(
        [1], [1]).params)[0]
    assert ka.to_spec() == {"name": "ka_lj_fs", "params": {}} and "cutoffs" not in get_model("lj_fs").params()
    assert m.lammps_commands() == ["pair_style lj/smooth/linear 2", "pair_coeff 1 1 1 1 1.5",
                                   "pair_coeff 1 2 1.5 0.80000000000000004 2", "pair_coeff 2 2 0.5 0.88 1.5"]


#: (model, density, species counts): N = 200 pushed apart (overlap 0.9), then 50 LAMMPS cg steps
GLASSES = [("p4_mblj", 1.2, [160, 40], 1e-12), ("p4_ipl10", 0.82, [100, 100], 1e-8),
           ("p4_sticky_spheres", 0.6, [100, 100], 1e-8)]


@pytest.mark.parametrize("name,rho,counts,tol", GLASSES, ids=[g[0] for g in GLASSES])
def test_pair_models_match_lammps(table_cache, name, rho, counts, tol):
    """numpy vs LAMMPS energies and forces; through pair_style table for IPL-10 and SS (measured
    max |dF|/max|F|: mBLJ 7e-14, IPL-10 1.4e-12, SS 5.3e-9 — SS's phi''' jump at x_min)."""
    m = get_model(name)
    cfg = LammpsConfig(m, (sum(counts) / rho) ** (1 / 3), counts, seed=7, overlap=0.9, minimize_steps=50)
    e, f = energy_forces(cfg.frame, m)
    assert abs(e - cfg.energy) <= tol * abs(e)
    assert np.abs(f - cfg.forces).max() <= tol * np.abs(f).max()
    cfg.close()


@pytest.fixture(scope="module")
def sw_glass():
    """SW (lambda = 18.75) at rho = 0.52, N = 64, random (overlap 0.9) then 10 cg steps in LAMMPS."""
    m = get_model("p4_sw")
    cfg = LammpsConfig(m, (64 / 0.52) ** (1 / 3), [64], seed=5, overlap=0.9, minimize_steps=10)
    yield cfg
    cfg.close()


def test_sw_parameter_file_and_lammps_lines():
    m = get_model("p4_sw")
    line = m.parameter_file_text().splitlines()[1].split()
    assert line[:3] == ["Si"] * 3
    np.testing.assert_allclose([float(v) for v in line[3:]],
                               [1.0, 1.0, 1.8, 18.75, 1.2, -1 / 3, 7.049556277, 0.6022245584, 4.0, 0.0, 0.0],
                               rtol=1e-15)
    assert m.lammps_commands()[0] == "pair_style sw" and not m.is_pair


def test_sw_energy_forces_match_lammps(sw_glass):
    """Measured: |dE|/|E| 1.5e-15, max |dF|/max |F| 1.3e-14 (N = 100)."""
    e, f = energy_forces(sw_glass.frame, sw_glass.model)
    assert e < 0 and abs(e - sw_glass.energy) <= 1e-12 * abs(e)
    assert np.abs(f - sw_glass.forces).max() <= 1e-12 * np.abs(f).max()


def test_sw_hessian_matches_finite_differences_of_lammps_forces(sw_glass):
    """Central differences (h = 1e-5) of LAMMPS forces; measured max |dH| 7e-8 (max |H| ~ 40)."""
    h = hessian(sw_glass.frame, sw_glass.model).toarray()
    fd = sw_glass.fd_hessian(1e-5)
    assert np.abs(h - fd).max() <= 1e-6
    assert np.abs(h - h.T).max() <= 1e-12 * np.abs(h).max()
    assert np.abs(h @ translation_basis(64, 3)).max() <= 1e-12 * np.abs(h).max()
    assert np.abs(h).max() > 10                                     # not trivially small


@pytest.mark.parametrize("name", P4)
def test_config_accepts_table_i_state_points(name):
    m = get_model(name)
    sp = m.state_point
    s = validate({"seed": 1, "systems": [{"model": name, "N": sp["N"], "T": 1.0, "density": sp["rho"],
                                          "samples": 1}]})["systems"][0]
    assert s["model"] == name and name in MODELS
    if m.is_pair and m.lammps_commands()[0].startswith("pair_style table"):
        assert m.lammps_commands() == table_commands(m)
