"""Analytic Hessian: finite differences of LAMMPS forces, LAMMPS dynamical_matrix, symmetries,
and the analytic phonon spectrum of a compressed square lattice of harmonic spheres."""
import numpy as np
import pytest

from glasstools.analysis.hessian import energy_forces, hessian
from glasstools.analysis.neighbours import pairs, pairs_within
from glasstools.configuration import Frame
from glasstools.models import get_model

FD_CASES = [
    ("ka_lj", dict(n=160, seed=11, minimize_steps=0)),
    ("ka_lj", dict(n=160, seed=12, minimize_steps=2000)),
    ("harmonic", dict(n=60, seed=13)),
    ("harmonic", dict(n=60, seed=14, diameters=(1.0, 1.4), minimize_steps=2000)),
]


@pytest.mark.parametrize("kind,kw", FD_CASES, ids=["ka_random", "ka_minimised", "hs_random", "hs2_minimised"])
def test_hessian_matches_lammps_finite_differences(lammps_config, kind, kw):
    cfg = lammps_config(kind, **kw)
    h = hessian(cfg.frame, cfg.model)
    assert h.blocksize == (3, 3) and h.shape == (3 * cfg.n, 3 * cfg.n)
    fd = cfg.fd_hessian(h=1e-6)
    dense = h.toarray()
    assert np.abs(dense - fd).max() <= 1e-6 * np.abs(dense).max()


def test_hessian_matches_lammps_dynamical_matrix(lammps_config, tmp_path):
    cfg = lammps_config("ka_lj", n=160, seed=15, minimize_steps=2000)
    out = tmp_path / "dynmat.bin"
    cfg.lmp.command(f"dynamical_matrix all regular 1e-6 file {out} binary yes")
    ref = np.fromfile(out, dtype=np.float64).reshape(3 * cfg.n, 3 * cfg.n)
    dense = hessian(cfg.frame, cfg.model).toarray()
    assert np.abs(dense - ref).max() <= 1e-8 * np.abs(dense).max()


def _random_config(n=200, dim=3, seed=0):
    rng = np.random.default_rng(seed)
    box = np.full(dim, (n / 1.204) ** (1.0 / dim))
    return rng.random((n, dim)) * box - 3.0 * box, box, np.where(rng.random(n) < 0.8, 1, 2)


@pytest.mark.parametrize("dim", [2, 3])
def test_symmetric_translation_invariant_and_relabelling(dim):
    pos, box, types = _random_config(dim=dim)
    model = get_model("ka_lj_fs")
    h = hessian(Frame(pos, box, types), model)
    dense = h.toarray()
    scale = np.abs(dense).max()
    assert np.array_equal(dense, dense.T)
    assert np.abs(dense.sum(axis=1)).max() <= 1e-12 * scale
    perm = np.random.default_rng(1).permutation(len(pos))
    hp = hessian(Frame(pos[perm], box, types[perm]), model).toarray()
    idx = (dim * perm[:, None] + np.arange(dim)).ravel()
    assert np.allclose(hp, dense[np.ix_(idx, idx)], rtol=0, atol=1e-12 * scale)


def test_energy_forces_consistent_with_hessian_by_finite_differences():
    pos, box, types = _random_config(n=150, dim=2, seed=3)
    model = get_model("ka_lj_fs")
    h = hessian(Frame(pos, box, types), model)
    rng = np.random.default_rng(4)
    u = rng.standard_normal(pos.shape)
    eps = 1e-6
    f = lambda x: energy_forces(Frame(x, box, types), model)[1]  # noqa: E731
    dfd = (f(pos + eps * u) - f(pos - eps * u)) / (2 * eps)
    hu = -(h @ u.ravel()).reshape(pos.shape)
    assert np.abs(dfd - hu).max() <= 1e-6 * np.abs(hu).max()


def test_pairs_minimum_image_against_brute_force():
    pos, box, _ = _random_config(n=80, dim=3, seed=5)
    i, j, rij = pairs(pos, box, 2.0)
    d = pos[None] - pos[:, None]
    d -= box * np.round(d / box)
    r = np.linalg.norm(d, axis=-1)
    bi, bj = np.nonzero(np.triu(r < 2.0, k=1))
    assert set(zip(i.tolist(), j.tolist())) == set(zip(bi.tolist(), bj.tolist()))
    assert np.allclose(rij, d[i, j], atol=1e-12)
    with pytest.raises(ValueError, match="cutoff"):
        pairs(pos, box, box.min())


def test_pairs_within_keeps_only_pairs_strictly_inside_the_cutoff():
    """A pair exactly at r = cutoff (the k-d tree keeps it) is not within; r is |rij| (the many-body range)."""
    pos = np.array([[0.5, 0.5, 0.5], [2.0, 0.5, 0.5], [5.5, 3.0, 0.5]])      # r_01 = 1.5 exactly, r_02 = (1 + 2.5^2)^1/2 across x
    box = np.full(3, 6.0)
    assert [len(a) for a in pairs(pos, box, 1.5)] == [1, 1, 1]
    assert [len(a) for a in pairs_within(pos, box, 1.5)] == [0, 0, 0, 0]
    i, j, rij, r = pairs_within(pos, box, 2.8)
    assert i.tolist() == [0, 0] and j.tolist() == [1, 2] and r.tolist() == [1.5, np.sqrt(1.0 + 2.5**2)]
    assert np.array_equal(rij, [[1.5, 0.0, 0.0], [-1.0, 2.5, 0.0]])


def test_square_lattice_spectrum_matches_dispersion():
    """n x n square lattice, spacing a < d: only 4 nearest neighbours touch. For wavevector k,
    lambda_x(k) = 2 k_r (1 - cos k_x a) + 2 k_t (1 - cos k_y a) and x <-> y, with the radial
    stiffness k_r = U''(a) = v0/d^2 and the transverse one k_t = U'(a)/a = -v0 (1 - a/d)/(d a) < 0."""
    n, a, d, v0 = 8, 0.95, 1.0, 1.0
    g = np.arange(n) * a
    pos = np.array([(x, y) for x in g for y in g]) + 0.1
    box = np.full(2, n * a)
    model = get_model("harmonic_spheres", v0=v0)
    eig = np.linalg.eigvalsh(hessian(Frame(pos, box, np.ones(n * n, int)), model).toarray())
    kr, kt = v0 / d**2, -v0 * (1 - a / d) / (d * a)
    kx, ky = np.meshgrid(2 * np.pi * np.arange(n) / (n * a), 2 * np.pi * np.arange(n) / (n * a))
    cx, cy = 1 - np.cos(kx * a), 1 - np.cos(ky * a)
    expected = np.sort(np.concatenate([(2 * kr * cx + 2 * kt * cy).ravel(), (2 * kr * cy + 2 * kt * cx).ravel()]))
    assert expected.min() < 0  # compression makes transverse zone-boundary modes unstable
    assert np.allclose(eig, expected, atol=1e-12)
