"""Diameter sampling f(d) ~ d^-3, packing fraction <-> density, data files, model constants."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import chi2

from glasstools.lammps.deck import system_commands
from glasstools.lammps.session import lammps_session
from glasstools.models import get_model
from glasstools.systems import (RATIO_P0, RATIO_P2, WCA_PHI_SCALE, analytic_moments,
                                density_for_packing_fraction, diameter_bounds, packing_fraction,
                                packing_fraction_for_density, polydispersity, random_positions,
                                sample_diameters, volume_for_packing_fraction, write_lammps_data,
                                write_random_start)


def test_bounds_and_published_polydispersity():
    lo, hi = diameter_bounds(RATIO_P0)
    assert math.isclose(lo / hi, RATIO_P0) and math.isclose(lo, 0.7245)
    m = analytic_moments(RATIO_P0)
    assert math.isclose(m["mean"], 1.0, rel_tol=1e-14)
    assert round(m["polydispersity"], 2) == 0.23  # P0: "polydispersity 0.23"
    assert round(analytic_moments(RATIO_P2)["polydispersity"], 2) == 0.23  # P2: ~23 %
    # the moments by quadrature
    d = np.linspace(lo, hi, 200001)
    f = d**-3 / np.trapezoid(d**-3, d)
    for k, key in ((1, "mean"), (2, "mean_sq"), (3, "mean_cube")):
        assert math.isclose(np.trapezoid(d**k * f, d), m[key], rel_tol=1e-8)
    with pytest.raises(ValueError):
        diameter_bounds(1.2)


def test_sampled_moments_and_distribution():
    n = 200_000
    d = sample_diameters(n, seed=4)
    m = analytic_moments(RATIO_P0)
    assert d.min() >= m["d_min"] and d.max() <= m["d_max"]
    sd = math.sqrt(m["mean_sq"] - m["mean"] ** 2)
    assert abs(d.mean() - 1.0) < 4 * sd / math.sqrt(n)
    assert abs(polydispersity(d) - m["polydispersity"]) < 0.002
    # chi-square of the histogram against the exact CDF F(d) = (lo^-2 - d^-2)/(lo^-2 - hi^-2)
    edges = np.linspace(m["d_min"], m["d_max"], 41)
    cdf = (m["d_min"] ** -2 - edges**-2) / (m["d_min"] ** -2 - m["d_max"] ** -2)
    expected = np.diff(cdf) * n
    observed = np.histogram(d, edges)[0]
    assert chi2.sf(((observed - expected) ** 2 / expected).sum(), 39) > 1e-4
    # seeded: reproducible, and seeds differ
    assert np.array_equal(d[:10], sample_diameters(n, seed=4)[:10])
    assert not np.array_equal(d[:10], sample_diameters(n, seed=5)[:10])


def test_packing_fraction_density_conversions():
    d = sample_diameters(1000, seed=1)
    vol = volume_for_packing_fraction(d, 0.6)
    assert math.isclose(packing_fraction(d, vol), 0.6)
    assert math.isclose(np.pi / (6 * vol) * np.sum(d**3), 0.6)
    rho = density_for_packing_fraction(d, 0.6)
    assert math.isclose(packing_fraction_for_density(d, rho), 0.6)
    # P2's WCA definition phi = sqrt(2) pi / (6V) sum sigma^3 is the scale 2^(1/6) diameter
    assert math.isclose(packing_fraction(d, vol, scale=WCA_PHI_SCALE),
                        math.sqrt(2) * np.pi / (6 * vol) * np.sum(d**3))
    # 2D: discs
    assert math.isclose(packing_fraction([1.0, 2.0], 10.0, dim=2), np.pi / 4 * 5 / 10)
    # P0 3D soft spheres: rho = 1.02 means phi = 1.02 pi/6 <d^3>
    m = analytic_moments(RATIO_P0)
    big = sample_diameters(100_000, seed=3)
    assert math.isclose(packing_fraction_for_density(big, 1.02), 1.02 * np.pi / 6 * m["mean_cube"], rel_tol=5e-3)


def test_data_file_round_trip(tmp_path):
    """Diameters survive write_lammps_data -> read_data exactly; masses are 1."""
    n = 50
    d = sample_diameters(n, seed=8)
    box = 5.0
    pos = random_positions(n, box, seed=9)
    path = write_lammps_data(tmp_path / "s.data", pos, d, box)
    model = get_model("soft_spheres_poly")
    with lammps_session(model=model) as lmp:
        lmp.commands_list(system_commands(model, data_in=str(path)))
        rad = np.ctypeslib.as_array(lmp.gather_atoms("radius", 1, 1)).copy()
        mass = np.ctypeslib.as_array(lmp.gather_atoms("rmass", 1, 1)).copy()
        x = np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(n, 3).copy()
    assert np.array_equal(2 * rad, d)
    assert np.all(mass == 1.0)
    assert np.array_equal(x, pos)


def test_soft_sphere_constants():
    m = get_model("soft_spheres_poly")
    xc = 1.25
    assert math.isclose(m.C0, -28 * xc**-12) and math.isclose(m.C1, 48 * xc**-14)
    assert math.isclose(m.C2, -21 * xc**-16)
    x = np.array([xc])
    assert abs(m._phi(x)[0]) < 1e-15 and abs(m._dphi(x)[0]) < 1e-14 and abs(m._d2phi(x)[0]) < 1e-13
    # WCA stand-in: same value, slope, curvature as WCA at 2^(1/6)
    w, s = get_model("wca_poly"), get_model("wca_harmonic_standin")
    xc = np.array([2 ** (1 / 6)])
    for a, b in ((w._phi, s._phi), (w._dphi, s._dphi), (w._d2phi, s._d2phi)):
        assert abs(a(xc)[0] - b(xc)[0]) < 1e-12
    # non-additive pair diameter
    assert math.isclose(float(m.pair_diameter(1.0, 1.5)), 1.25 * (1 - 0.2 * 0.5))


def test_write_random_start(tmp_path):
    st = write_random_start(tmp_path / "a.data", 500, seed=3, phi=0.6, phi_scale=WCA_PHI_SCALE)
    assert math.isclose(st["phi_scaled"], 0.6) and math.isclose(st["phi"], 0.6 / math.sqrt(2))
    assert st["box_len"] ** 3 * st["density"] == pytest.approx(500)
    st2 = write_random_start(tmp_path / "b.data", 500, seed=3, density=1.02)
    assert math.isclose(st2["density"], 1.02) and abs(st2["polydispersity"] - 0.23) < 0.02
    assert (tmp_path / "a.data").read_text().count("\n") == 500 + 11
    with pytest.raises(ValueError):
        write_random_start(tmp_path / "c.data", 10, seed=1)


_SAMPLE_SCRIPT = """
import hashlib, sys, tempfile
from pathlib import Path
from glasstools.systems import quantile_diameters, sample_diameters, write_random_start
h = hashlib.sha256()
h.update(quantile_diameters(500, 12345, 0.449).tobytes())
h.update(sample_diameters(500, 12345, 0.45).tobytes())
with tempfile.TemporaryDirectory() as tmp:
    for sampling in ("quantiles", "random"):
        write_random_start(Path(tmp) / "s.data", 250, 7, ratio=0.45, phi=1.1, phi_scale=2 ** (1 / 6),
                           sampling=sampling)
        h.update((Path(tmp) / "s.data").read_bytes())
print(h.hexdigest())
"""


def test_random_start_does_not_depend_on_numpy_cpu_dispatch():
    """A polydisperse start (diameters, box, data file) is bit-identical whichever SIMD kernels numpy
    picks at run time: the same script in a process with numpy's dispatched CPU features disabled
    (as on a CPU without AVX-512/AVX2) writes the same bytes. ``** -0.5`` and ``d**3`` on arrays
    failed this (the demo's polydisperse samples differed between an AVX-512 and an AVX2 machine)."""
    import subprocess
    import sys

    from numpy._core import _multiarray_umath as umath

    found = [f for f in umath.__cpu_dispatch__ if umath.__cpu_features__.get(f)]
    if not found:
        pytest.skip("numpy dispatches no CPU-specific kernels on this machine")
    run = lambda env: subprocess.run([sys.executable, "-c", _SAMPLE_SCRIPT], env=env, check=True,
                                     capture_output=True, text=True).stdout.strip()
    import os

    env = dict(os.environ)
    env.pop("NPY_DISABLE_CPU_FEATURES", None)
    native = run(env)
    restricted = run({**env, "NPY_DISABLE_CPU_FEATURES": " ".join(found)})
    assert native == restricted, f"numpy kernels for {found} change the sample"
