"""``pair_style table`` generated from a model's numpy definition (glasstools.models.pair_table),
on P3's force-shifted r^-12 glass (``p3_ipl12``): LAMMPS vs numpy energies and forces, an inherent
structure through the table, the inner cutoff, the file cache; the P3 constants."""
import numpy as np
import pytest
import scipy.linalg
from conftest import LammpsConfig

from glasstools.analysis.hessian import energy_forces, hessian
from glasstools.configuration import Frame
from glasstools.lammps.minimise import minimise
from glasstools.models import get_model
from glasstools.models.pair_table import INNER, N_POINTS, table_commands, table_file

RHO = 1.015


@pytest.fixture
def table_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GLASSTOOLS_TABLE_CACHE", str(tmp_path / "tables"))
    return tmp_path / "tables"


@pytest.fixture
def glass(table_cache):
    """P3 glass, N = 200 at rho = 1.015: random, pushed apart (overlap 0.75), in LAMMPS via the table."""
    model = get_model("p3_ipl12")
    cfg = LammpsConfig(model, (200 / RHO) ** (1 / 3), [100, 100], seed=11, overlap=0.75)
    yield cfg
    cfg.close()


def test_p3_constants():
    m = get_model("p3_ipl12")
    s1, s2 = m.type_diameters
    assert (round(s1, 5), round(s2, 5), s1 / s2) == (0.81109, 1.1587, pytest.approx(0.7))
    sab = 0.5 * (m.type_diameters[:, None] + m.type_diameters[None, :])
    assert np.sum(0.25 * sab**3) == pytest.approx(1.0, rel=1e-14)          # sigma_eff = 1
    rc = np.nextafter(2.5 * sab.ravel(), 0)
    p = {"sig": sab.ravel()}
    np.testing.assert_allclose(m.u(rc, p), 0, atol=1e-15)
    np.testing.assert_allclose(m.du(rc, p), 0, atol=1e-14)
    np.testing.assert_allclose(m.d2u(rc, p), 156 / 2.5**14 / sab.ravel() ** 2, rtol=1e-12)


def test_lammps_table_matches_numpy(glass):
    e, f = energy_forces(glass.frame, glass.model)
    assert abs(glass.energy - e) <= 1e-8 * abs(e)
    assert np.abs(glass.forces - f).max() <= 1e-8 * np.abs(f).max()


def test_inherent_structure_through_the_table(glass):
    res = minimise(glass.model, glass.frame, "fire")
    assert res.converged and res.fmax_atom <= 1e-10
    fr = Frame(res.positions, glass.box_len, glass.types)
    _, f = energy_forces(fr, glass.model)
    assert np.abs(f).max() <= 1e-9                 # numpy sees the same minimum (measured 2.4e-10)
    lam = scipy.linalg.eigvalsh(hessian(fr, glass.model).toarray())
    assert np.sum(np.abs(lam) < 1e-8) == 3 and lam.min() > -1e-8 and np.sort(lam)[3] > 1e-3


def test_distance_below_inner_cutoff_is_an_error(table_cache):
    model = get_model("p3_ipl12")
    r_min = INNER * model.pair_length([1], [2])[0]
    cfg = LammpsConfig(model, 6.0, [1, 1], seed=1)
    x = np.array([[1.0, 1.0, 1.0], [1.0 + 1.001 * r_min, 1.0, 1.0]])
    cfg.set_positions(x)                              # just above r_min: fine
    assert cfg.energy == pytest.approx(energy_forces(Frame(x, cfg.box_len, cfg.types), model)[0], rel=1e-8)
    with pytest.raises(Exception, match="Pair distance < table inner cutoff"):
        cfg.set_positions(np.array([[1.0, 1.0, 1.0], [1.0 + 0.999 * r_min, 1.0, 1.0]]))
    cfg.close()


def test_monodisperse_fcc_crystal(table_cache):
    """The crystal is the same model with one species: a perfect FCC at rho = 1.015 has zero
    forces and the lattice-sum energy in LAMMPS (table) and numpy."""
    model = get_model("p3_ipl12", diameters=[1.0], fractions=[1.0])
    assert model.ntypes == 1 and len(table_commands(model)) == 2
    a = (4 / RHO) ** (1 / 3)
    cells = 4
    base = np.array([[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]])
    grid = np.stack(np.meshgrid(*[np.arange(cells)] * 3, indexing="ij"), -1).reshape(-1, 1, 3)
    x = ((grid + base) * a).reshape(-1, 3) + 0.1
    cfg = LammpsConfig(model, cells * a, [len(x)], seed=3, overlap=0.7)
    cfg.set_positions(x)
    e, f = energy_forces(Frame(x, cfg.box_len, 1), model)
    assert cfg.energy == pytest.approx(e, rel=1e-8) and e > 0
    assert np.abs(cfg.forces).max() < 1e-10 and np.abs(f).max() < 1e-10
    cfg.close()


def test_table_file_cache_and_settings(table_cache):
    glass, crystal = get_model("p3_ipl12"), get_model("p3_ipl12", diameters=[1.0], fractions=[1.0])
    cmds = table_commands(glass)
    assert cmds[0] == f"pair_style table spline {N_POINTS}"
    path = table_file(glass)
    assert path.parent == table_cache and all(str(path) in c for c in cmds[1:])
    assert [c.split()[1:3] for c in cmds[1:]] == [["1", "1"], ["1", "2"], ["2", "2"]]
    assert table_file(glass) == path and table_file(crystal) != path     # content-addressed
    assert table_file(glass, n=1000) != path
    assert sorted(p.name for p in table_cache.iterdir()) == sorted(
        {path.name, table_file(crystal).name, table_file(glass, n=1000).name})  # no temp files left
    text = path.read_text()
    assert text.count(f"\nN {N_POINTS} RSQ ") == 3 and " FPRIME " in text
    with pytest.raises(ValueError, match="table style"):
        table_commands(glass, style="bitmap")
    with pytest.raises(ValueError, match="table n"):
        table_commands(glass, n=1)
    with pytest.raises(ValueError, match="table inner"):
        table_commands(glass, inner=1.2)
    with pytest.raises(ValueError, match="type-based pair model"):
        table_commands(get_model("wca_poly"))
