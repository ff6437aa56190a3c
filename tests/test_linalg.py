"""Public linear algebra: factorisations with both backends, solves on the complement of the
translations against a dense pseudo-inverse, and seeded (bit-reproducible) iterative solvers."""
import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp

from glasstools.analysis.hessian import hessian
from glasstools.analysis.modes import inm
from glasstools.linalg import (BACKEND_ENV, NotPositiveDefinite, count_below, factor, factor_translation_free,
                               lambda_max, project_out_translations, resolve_backend, solve_translation_free,
                               translation_basis)

BACKENDS = ["pardiso", "superlu"]


def _random_symmetric(n, seed, density=0.03):
    a = sp.random(n, n, density=density, random_state=np.random.default_rng(seed))
    return (a + a.T + sp.diags(np.linspace(-1, 1, n))).tocsr()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("precision", ["double", "single"])
def test_ldl_solve_and_inertia_match_dense(backend, precision):
    m = _random_symmetric(300, 1)
    ev = np.linalg.eigvalsh(m.toarray())
    shift = 0.5 * (ev[40] + ev[41])
    b = np.random.default_rng(2).standard_normal((300, 4))
    x_ref = np.linalg.solve(m.toarray() - shift * np.eye(300), b)
    with factor(m, shift, kind="ldl", precision=precision, backend=backend) as f:
        assert f.backend == backend and f.shift == shift
        assert tuple(f.inertia()) == (41, 0, 259)
        x = f.solve(b)  # one call for the block
        assert x.dtype == np.float64 and x.shape == b.shape
        eps = 1e-3 if precision == "single" else 1e-10  # single: cond(M - shift I) x 6e-8
        assert np.allclose(f.solve(b[:, 2]), x[:, 2], rtol=0, atol=eps * np.abs(x).max())
        assert np.linalg.norm(x - x_ref) < eps * np.linalg.norm(x_ref)
        assert f.refactor(ev[-1] + 1.0).inertia() == (300, 0, 0)  # new shift, same ordering


def test_backends_give_the_same_solutions_and_counts():
    m = _random_symmetric(400, 3)
    ev = np.linalg.eigvalsh(m.toarray())
    b = np.random.default_rng(4).standard_normal(400)
    xs = []
    for backend in BACKENDS:
        with factor(m, 0.1, backend=backend) as f:
            xs.append(f.solve(b))
        assert count_below(m, 0.1, backend=backend)[0] == np.count_nonzero(ev < 0.1)
    assert np.linalg.norm(xs[0] - xs[1]) <= 1e-11 * np.linalg.norm(xs[0])


def test_backend_choice_and_bad_arguments_name_the_parameter(monkeypatch):
    m = _random_symmetric(50, 0)
    monkeypatch.setenv(BACKEND_ENV, "superlu")
    assert resolve_backend() == "superlu" and factor(m, 10.0).backend == "superlu"
    monkeypatch.setenv(BACKEND_ENV, "mumps")
    with pytest.raises(ValueError, match=BACKEND_ENV):
        factor(m)
    with pytest.raises(ValueError, match="backend"):
        factor(m, backend="mumps")
    with pytest.raises(ValueError, match="kind"):
        factor(m, kind="lu", backend="superlu")
    with pytest.raises(ValueError, match="precision"):
        factor(m, precision="half", backend="superlu")
    with pytest.raises(NotPositiveDefinite):
        factor(m, 0.0, kind="cholesky", backend="superlu")
    with pytest.raises(RuntimeError, match="refactor"):
        factor(m, None, backend="superlu").solve(np.ones(50))


def _pinv_solution(h, b):
    """Dense reference: H^+ P b from the eigendecomposition, dropping the D translation zero modes
    (b projected first: LAPACK's null vectors are translations only to ~1e-13, which a large
    translation component of b would turn into an error of the reference)."""
    lam, q = np.linalg.eigh(h.toarray())
    keep = np.abs(lam) > 1e-9 * np.abs(lam).max()
    assert np.count_nonzero(~keep) == 3  # only the translations are zero modes
    pb = project_out_translations(b, 3)
    return q[:, keep] @ ((q[:, keep].T @ pb) / lam[keep, None]), lam[keep]


@pytest.fixture(scope="module")
def ka_lj_hessians():
    """Hessians of a 3D KA-LJ inherent structure (stable) and of a partly quenched liquid (indefinite)."""
    from conftest import ka_lj

    out = {}
    for name, steps in (("inherent", 5000), ("unstable", 10)):
        cfg = ka_lj(n=200, seed=31, minimize_steps=steps)
        out[name] = hessian(cfg.frame, cfg.model)
        cfg.close()
    return out


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("state, kind", [("inherent", "cholesky"), ("inherent", "ldl"), ("unstable", "ldl")])
def test_translation_free_solve_matches_dense_pseudo_inverse(ka_lj_hessians, state, kind, backend):
    h = ka_lj_hessians[state]
    ndof = h.shape[0]
    b = np.random.default_rng(8).standard_normal((ndof, 6))
    b[:, 5] = translation_basis(ndof // 3, 3) @ [1.0, -2.0, 0.5] + 1e-3 * b[:, 5]  # mostly a translation
    x_ref, lam = _pinv_solution(h, b)
    with factor_translation_free(h, 3, kind=kind, backend=backend) as f:
        x = f.solve(b)
        assert tuple(f.inertia()) == (np.count_nonzero(lam < 0), 0, np.count_nonzero(lam > 0))
        for j in range(b.shape[1]):
            assert np.linalg.norm(x[:, j] - x_ref[:, j]) <= 1e-10 * np.linalg.norm(x_ref[:, j])
        assert np.array_equal(f.solve(b[:, 0]), x[:, 0]) or np.allclose(f.solve(b[:, 0]), x[:, 0], rtol=1e-13)
    assert np.abs(translation_basis(ndof // 3, 3).T @ x).max() < 1e-12 * np.abs(x).max()
    x1 = solve_translation_free(h, b[:, 1], 3, kind=kind, backend=backend)
    assert np.linalg.norm(x1 - x_ref[:, 1]) <= 1e-10 * np.linalg.norm(x_ref[:, 1])
    if state == "unstable":
        with pytest.raises(NotPositiveDefinite):
            factor_translation_free(h, 3, kind="cholesky", backend=backend)


def test_translation_free_solve_refuses_a_matrix_without_translation_symmetry():
    h = sp.identity(30, format="csr")
    with pytest.raises(ValueError, match="translation invariant"):
        solve_translation_free(h, np.ones(30), 3)
    with pytest.raises(ValueError, match="dim=3"):
        solve_translation_free(sp.identity(31, format="csr"), np.ones(31), 3)


def test_lambda_max_is_bit_identical_between_calls():
    """scipy's eigsh without v0 starts from OS entropy: two calls differ in the last bits."""
    m = _random_symmetric(1500, 0, density=0.006)
    first = lambda_max(m)
    assert all(lambda_max(m).hex() == first.hex() for _ in range(3))
    assert np.isclose(first, np.linalg.eigvalsh(m.toarray())[-1], rtol=1e-12)


def test_lambda_max_is_bit_identical_between_processes():
    code = ("import numpy as np, scipy.sparse as sp; from glasstools.linalg import lambda_max; "
            "a = sp.random(2000, 2000, density=0.004, random_state=np.random.default_rng(0)); "
            "print(lambda_max((a + a.T).tocsr()).hex())")
    out = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
           for _ in range(2)}
    assert len(out) == 1


@pytest.mark.parametrize("sparse_solver", ["davidson", "two-factor"])
def test_sparse_inm_is_bit_identical_between_calls(ka_lj_hessians, sparse_solver):
    h = ka_lj_hessians["unstable"]
    runs = [inm(h, 3, method="sparse", n_lowest=4, sparse_solver=sparse_solver) for _ in range(2)]
    assert runs[0].settings["seed"] == 0
    assert np.array_equal(runs[0].eigenvalues, runs[1].eigenvalues)
    assert np.array_equal(runs[0].vectors, runs[1].vectors)
