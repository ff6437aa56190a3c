"""INM: dense and sparse paths agree, translations are excluded exactly, rattlers are not
unstable, inertia counts are exact, participation ratios of known vectors."""
import numpy as np
import pytest
import scipy.sparse as sp

from glasstools.analysis.hessian import hessian
from glasstools.analysis.modes import inm, participation_ratio, spectrum_density
from glasstools.configuration import Frame
from glasstools.linalg import BACKEND_ENV, NotPositiveDefinite, count_below, deflate_translations, factor, translation_basis
from glasstools.models import get_model


def _check_paths_agree(h, dim):
    dense = inm(h, dim, method="dense", modes="all")
    dense_u, sparse = inm(h, dim, method="dense"), inm(h, dim, method="sparse", n_lowest=10)
    assert dense.method == dense_u.method == "dense" and sparse.method == "sparse"
    assert dense.n_modes == sparse.n_modes == h.shape[0] - dim
    assert dense.n_unstable == dense_u.n_unstable == sparse.n_unstable > 0
    assert dense.f_u == sparse.f_u == dense.n_unstable / dense.n_modes
    scale = np.abs(dense.eigenvalues).max()
    # every unstable mode (and at least 10 / 20 lowest) resolved by both restricted paths
    for part in (dense_u, sparse):
        k = len(part.eigenvalues)
        assert k >= dense.n_unstable and part.n_unstable_resolved == dense.n_unstable
        assert np.allclose(part.eigenvalues, dense.eigenvalues[:k], atol=1e-9 * scale)
        assert np.allclose(part.pr, dense.pr[:k], rtol=1e-6)
        # eigenvectors: unit, M e = lambda e, orthogonal to translations
        hv = h @ part.vectors
        assert np.allclose(hv, part.vectors * part.eigenvalues, atol=1e-8 * scale)
        assert np.allclose(translation_basis(h.shape[0] // dim, dim).T @ part.vectors, 0, atol=1e-8)
    return dense, sparse


def test_paths_agree_on_quenched_ka_lj_liquid(lammps_config):
    cfg = lammps_config("ka_lj", n=300, seed=21, minimize_steps=10)
    h = hessian(cfg.frame, cfg.model)
    dense, _ = _check_paths_agree(h, 3)
    # dense eigenvalues are those of the full matrix minus its D zero (translation) eigenvalues
    full = np.linalg.eigvalsh(h.toarray())
    drop = np.argsort(np.abs(full))[:3]
    assert np.allclose(np.delete(full, drop), dense.eigenvalues, atol=1e-9 * np.abs(full).max())


def test_paths_agree_with_rattlers_in_harmonic_spheres():
    rng = np.random.default_rng(22)
    n, phi = 300, 0.73
    box = np.full(3, (n * np.pi / 6 / phi) ** (1 / 3))
    pos = rng.random((n, 3)) * box
    d = np.linalg.norm((pos[:, None] - pos[None] + box / 2) % box - box / 2, axis=-1)
    np.fill_diagonal(d, np.inf)
    rattlers = np.flatnonzero(d.min(axis=1) > 0.51)[:6]
    assert len(rattlers) == 6
    diam = np.ones(n)
    diam[rattlers] = 1e-3  # contact needs r < (1 + 1e-3)/2: no contacts, so 18 exact zero modes
    h = hessian(Frame(pos, box, np.ones(n, int), diameters=diam), get_model("harmonic_spheres"))
    dense, _ = _check_paths_agree(h, 3)
    assert np.count_nonzero(np.abs(dense.eigenvalues) <= dense.tol) >= 18
    assert np.all(dense.unstable_eigenvalues < -dense.tol)


@pytest.mark.parametrize("seed", range(3))
def test_inertia_count_is_exact_on_random_sparse_symmetric(seed):
    rng = np.random.default_rng(seed)
    a = sp.random(400, 400, density=0.02, random_state=rng)
    m = (a + a.T).tocsc()
    ev = np.linalg.eigvalsh(m.toarray())
    for sigma in np.quantile(ev, [0.05, 0.3, 0.5, 0.8]) + 1e-7:
        assert count_below(m, sigma)[0] == np.count_nonzero(ev < sigma)


def test_square_lattice_unstable_fraction():
    n, a = 8, 0.95
    g = np.arange(n) * a
    pos = np.array([(x, y) for x in g for y in g])
    h = hessian(Frame(pos, np.full(2, n * a), np.ones(n * n, int)), get_model("harmonic_spheres"))
    kt = -(1 - a) / a
    k = 2 * np.pi * np.arange(n) / n
    cx, cy = np.meshgrid(1 - np.cos(k), 1 - np.cos(k))
    lam = np.concatenate([(2 * cx + 2 * kt * cy).ravel(), (2 * cy + 2 * kt * cx).ravel()])
    expected = np.count_nonzero(lam < -1e-9)
    for method in ("dense", "sparse"):
        res = inm(h, 2, method=method)
        assert res.n_unstable == expected > 0
        assert res.f_u == expected / (2 * n * n - 2)


def test_deflation_basis_is_orthogonal_to_translations():
    n, dim = 7, 3
    rng = np.random.default_rng(0)
    m = rng.standard_normal((dim * n, dim * n))
    _, v = deflate_translations(m + m.T, dim)
    w = np.eye(dim * n) - 2 * v @ v.T
    q = w[:, : dim * (n - 1)]
    t = translation_basis(n, dim)
    assert np.allclose(q.T @ q, np.eye(dim * (n - 1)), atol=1e-13)
    assert np.allclose(q.T @ t, 0, atol=1e-13)
    assert np.allclose(t.T @ t, np.eye(dim), atol=1e-13)


def test_participation_ratio_known_vectors():
    n_side, dim = 6, 3
    g = np.arange(n_side)
    r = np.array(np.meshgrid(g, g, g, indexing="ij")).reshape(3, -1).T.astype(float)
    n = len(r)
    plane = np.zeros((n, dim))
    plane[:, 0] = np.cos(2 * np.pi * (r[:, 1] + 2 * r[:, 2]) / n_side + 0.3)  # sum cos^2 = N/2, sum cos^4 = 3N/8
    single = np.zeros((n, dim))
    single[5] = [0.3, -0.4, 1.2]
    vecs = np.column_stack([plane.ravel(), single.ravel(), translation_basis(n, dim)[:, 1]])
    assert np.allclose(participation_ratio(vecs, dim), [2 / 3, 1 / n, 1.0], rtol=1e-12)


def test_spectrum_density_normalisation():
    ev = np.random.default_rng(1).normal(size=997)
    dens, edges = spectrum_density(ev, bins=40)
    assert np.isclose(np.sum(dens * np.diff(edges)), 1.0)
    dens2, _ = spectrum_density(ev, bins=edges, n_modes=2 * len(ev))
    assert np.allclose(dens2, dens / 2)


def test_bad_arguments_name_the_parameter():
    h = sp.identity(9, format="csr")
    with pytest.raises(ValueError, match="method"):
        inm(h, 3, method="lapack")
    with pytest.raises(ValueError, match="dim"):
        inm(sp.identity(10, format="csr"), 3)


def test_pardiso_and_superlu_fallback_counts_agree():
    rng = np.random.default_rng(5)
    a = sp.random(300, 300, density=0.03, random_state=rng)
    m = (a + a.T).tocsc()
    ev = np.linalg.eigvalsh(m.toarray())
    f = None
    for sigma in np.quantile(ev, [0.1, 0.6]) + 1e-7:
        expected = np.count_nonzero(ev < sigma)
        count, f = count_below(m, sigma, reuse=f)  # reuses the Pardiso analysis
        assert f.backend == "pardiso"
        assert count == expected == count_below(m, sigma, backend="superlu")[0]
        x = f.solve(np.ones(300))
        assert np.allclose((m - f.shift * sp.identity(300)) @ x, 1.0, atol=1e-8)


@pytest.mark.parametrize("kwargs", [dict(), dict(factor_precision="double"), dict(verify_count=True),
                                    dict(sparse_solver="two-factor"), dict(block=4)])
@pytest.mark.parametrize("backend", ["pardiso", "superlu"])
def test_sparse_solvers_match_dense_lapack_on_ka_lj(lammps_config, kwargs, backend, monkeypatch):
    """Every sparse variant, with MKL Pardiso and with the SuperLU fallback (forced by the environment
    variable): n_u and the lowest eigenvalues agree with dense LAPACK, residuals small."""
    monkeypatch.setenv(BACKEND_ENV, backend)
    cfg = lammps_config("ka_lj", n=400, seed=23, minimize_steps=10)
    h = hessian(cfg.frame, cfg.model)
    dense = inm(h, 3, method="dense", modes="all")
    res = inm(h, 3, method="sparse", n_lowest=5, **kwargs)
    assert res.n_unstable == dense.n_unstable > 5
    k = len(res.eigenvalues)
    assert k == res.n_unstable == res.n_unstable_resolved
    scale = np.abs(dense.eigenvalues).max()
    assert np.allclose(res.eigenvalues, dense.eigenvalues[:k], atol=1e-9 * scale)
    assert np.all(res.residuals <= 1e-8 * scale)
    assert np.allclose(np.linalg.norm(h @ res.vectors - res.vectors * res.eigenvalues, axis=0), res.residuals,
                       atol=1e-10 * scale)
    assert res.stats["backend"] == res.settings["backend"] == backend
    assert res.stats["n_solves"] > 0 and res.stats["factor_nnz"] > 0 and res.stats["sigma"] < res.eigenvalues[0]


def test_davidson_beyond_max_vectors_counts_by_inertia(lammps_config):
    cfg = lammps_config("ka_lj", n=300, seed=21, minimize_steps=10)
    h = hessian(cfg.frame, cfg.model)
    dense = inm(h, 3, method="dense")
    res = inm(h, 3, method="sparse", n_lowest=1, max_vectors=4)
    assert dense.n_unstable > 4
    assert res.n_unstable == dense.n_unstable and len(res.eigenvalues) == 4
    assert "verify_s" in res.stats
    assert np.allclose(res.eigenvalues, dense.eigenvalues[:4], atol=1e-9 * dense.tol * 1e8)


def test_davidson_lowest_modes_of_a_stable_matrix():
    """Spring network kron(L, I_3) (graph Laplacian L): stable, every eigenvalue 3-fold degenerate;
    the n_lowest lowest modes come out with their multiplicity, translations excluded."""
    rng = np.random.default_rng(3)
    n = 200
    a = sp.random(n, n, density=0.03, random_state=rng) + sp.diags(np.ones(n - 1), 1)
    w = sp.triu(a + a.T, 1)
    w = w + w.T
    lap = sp.diags(np.asarray(w.sum(axis=1)).ravel()) - w
    h = sp.kron(lap, sp.identity(3)).tocsr()
    dense = inm(h, 3, method="dense", modes="all")
    res = inm(h, 3, method="sparse", n_lowest=12)
    assert res.n_unstable == dense.n_unstable == 0 and len(res.eigenvalues) == 12
    assert np.allclose(res.eigenvalues, dense.eigenvalues[:12], atol=1e-9 * np.abs(dense.eigenvalues).max())
    assert np.allclose(translation_basis(n, 3).T @ res.vectors, 0, atol=1e-8)


@pytest.mark.parametrize("backend", ["pardiso", "superlu"])
def test_cholesky_certifies_positive_definiteness(backend):
    rng = np.random.default_rng(7)
    a = sp.random(200, 200, density=0.05, random_state=rng)
    m = (a + a.T).tocsr()
    ev = np.linalg.eigvalsh(m.toarray())
    for precision in ("double", "single"):
        f = factor(m, ev[0] - 0.1, kind="cholesky", precision=precision, backend=backend)
        x = f.solve(np.ones(200))
        assert np.allclose((m - f.shift * sp.identity(200)) @ x, 1.0, rtol=1e-3 if precision == "single" else 1e-10)
        with pytest.raises(NotPositiveDefinite):
            f.refactor(ev[0] + 1e-3)
        f.free()


def test_bad_sparse_options_name_the_parameter():
    h = sp.identity(9, format="csr")
    with pytest.raises(ValueError, match="sparse_solver"):
        inm(h, 3, method="sparse", sparse_solver="lobpcg")
    with pytest.raises(ValueError, match="factor_precision"):
        inm(h, 3, method="sparse", factor_precision="half")
