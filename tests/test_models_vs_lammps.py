"""numpy energies and forces of each model agree with LAMMPS to 1e-10 (relative)."""
import numpy as np
import pytest

from glasstools.analysis.hessian import energy_forces

CASES = [
    ("ka_lj", dict(n=200, seed=3, minimize_steps=20)),
    ("ka_lj", dict(n=170, seed=4, minimize_steps=0)),
    ("harmonic", dict(n=200, seed=5)),
    ("harmonic", dict(n=200, seed=6, diameters=(1.0, 1.4))),
    ("harmonic", dict(n=120, seed=7, diameters=(1.0, 1.4), phi=0.9, dim=2)),
]


@pytest.mark.parametrize("kind,kw", CASES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(CASES)])
def test_energy_forces_match_lammps(lammps_config, kind, kw):
    cfg = lammps_config(kind, **kw)
    e, f = energy_forces(cfg.frame, cfg.model)
    assert abs(e) > 0
    assert abs(e - cfg.energy) <= 1e-10 * abs(cfg.energy)
    f_ref = cfg.forces
    assert np.abs(f - f_ref).max() <= 1e-10 * np.abs(f_ref).max()
