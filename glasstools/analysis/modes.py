"""Instantaneous normal modes (INM) of a Hessian M (DN x DN), without the D translations.

Definitions (P1 = Shimada et al. 2024; SCIENCE.md Sec. 3): eigenpairs (lambda_a, e_a) of M
with the D uniform translations removed, so there are DN - D modes; the unstable fraction
f_u = #{lambda_a < -tol} / (DN - D); participation ratio P_a = (1/N) (sum_i |e_a,i|^4)^-1
with e_a,i particle i's D-vector and |e_a| = 1; spectrum D(lambda) = (1/(DN-D)) sum delta(lambda - lambda_a).

Zero tolerance: tol = 1e-8 * g, g = max_i sum_j |M_ij| (the Gershgorin bound on |lambda|).
Eigenvalues in [-tol, tol] are zero modes (translations; rattlers of harmonic spheres give
exact zeros) and never count as unstable.

Dense path (DN <= dense_max_dof): the translations t_a = (1/sqrt N) 1_N (x) e_a are mapped by the
Householder reflector W = I - 2 V V^T, V = (v/|v|) (x) I_D, v = 1_N/sqrt N - e_N, onto the last
particle's D coordinates; since M t_a = 0, W M W has those D rows/columns zero and the rest is
M restricted to the complement of the translations. LAPACK ``eigh`` then gives the DN - D modes:
all of them (``modes='all'``) or, by default, only the unstable ones (``syevr`` by value).

Sparse path: f_u by Sylvester's law of inertia. With a symmetric permutation P and symmetric
(1x1 / 2x2 Bunch-Kaufman) pivots, P^T (M + tol I) P = L D L^T is congruent to M + tol I, so the
number of negative eigenvalues of D is the number of eigenvalues of M below -tol. The
factorisation is MKL Pardiso's symmetric-indefinite solver (mtype -2, ``pypardiso`` supplies
the MKL runtime; called through ctypes here) with METIS nested-dissection ordering; Pardiso
reports the inertia (iparm 22/23) and the number of perturbed pivots (iparm 14). The count is
accepted only if no pivot was perturbed and n_pos + n_neg = DN (then the factorisation is an
exact congruence up to rounding); otherwise the shift is nudged and the factorisation repeated.
Every unstable eigenpair (at least the ``n_lowest`` lowest) comes from ``eigsh`` in shift-invert
mode at a shift sigma below the spectrum, with Pardiso solves as OPinv; sigma is set from a coarse Lanczos estimate
of lambda_min and verified by inertia (zero eigenvalues below sigma). The METIS analysis is
done once and reused for both shifts (numeric refactorisation only). Without pypardiso/MKL,
``count_below`` falls back to SuperLU (``SymmetricMode``, ``diag_pivot_thresh=0``: D = diag(U),
checked perm_r == perm_c), which is exact but slow.

Why Pardiso (measured on this project's 3D KA-LJ Hessian, N = 8000, DN = 24000, nnz = 4.7e6,
T = 2 liquid quenched to W ~ 1e-2, one factorisation of M + tol I, 2-core machine shared
with other jobs):
  * SuperLU, MMD + forced diagonal pivots: > 400 s, > 6 GB (the previous implementation).
  * qdldl 0.1.9 (pip wheel; AMD + scalar up-looking LDL^T, exposes D): not finished after
    > 3 min CPU (N = 1000 already took 9 s with a 64 % dense factor) -- no supernodes/BLAS.
  * MKL Pardiso (pip wheels pypardiso + mkl): 32-51 s (contended), 0.9 GB peak RSS, inertia
    (23957 pos, 43 neg, 0 perturbed); the SPD refactorisation at sigma < lambda_min: 20 s.
  * scikit-sparse (CHOLMOD) and python-mumps / pymumps (MUMPS, INFOG(12)) ship only sdists that
    need system SuiteSparse / MUMPS libraries, so ``pip install`` of this project cannot get them.
  * Lanczos without factorisation: ``eigsh(which='SA', k=20)`` took 138 s at N = 8000 for
    only 20 of the 43 unstable modes, and a converged count of the unstable modes is not a
    certificate (missed eigenvalues in clusters), unlike the inertia.
The cost is dominated by the dense separator fronts of the 3D graph (cutoff 2.5 sigma, ~50
neighbours): nested dissection + supernodal BLAS is the asymptotically right tool, and MKL is
the only pip-installable implementation with an inertia output. See benchmarks/inm_scaling.py
for N = 1000 ... 32000 timings.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
import scipy.sparse.linalg as spla


@dataclass
class INMResult:
    """Computed eigenpairs (ascending) and summary numbers of one Hessian.

    ``n_unstable`` is exact (dense eigenvalues or sparse inertia); ``eigenvalues``/``vectors``
    hold the modes that were computed: every unstable mode (sparse: at most ``max_vectors``,
    see ``n_unstable_resolved``), at least the ``n_lowest`` lowest, or all DN - D modes with
    ``modes='all'`` (dense only). Vectors are unit columns, particle-major (x, y, z of atom 0, ...).
    """

    n_unstable: int
    n_modes: int
    f_u: float
    method: str
    tol: float
    eigenvalues: np.ndarray
    pr: np.ndarray
    vectors: np.ndarray

    @property
    def unstable(self) -> np.ndarray:
        return self.eigenvalues < -self.tol

    @property
    def unstable_eigenvalues(self) -> np.ndarray:
        return self.eigenvalues[self.unstable]

    @property
    def unstable_pr(self) -> np.ndarray:
        return self.pr[self.unstable]

    @property
    def n_unstable_resolved(self) -> int:
        return int(self.unstable.sum())


def translation_basis(n: int, dim: int) -> np.ndarray:
    """Orthonormal (DN, D) basis of uniform translations (particle-major, component fastest)."""
    return np.kron(np.ones((n, 1)) / np.sqrt(n), np.eye(dim))


def _reflector(n: int, dim: int) -> np.ndarray:
    """V (DN, D) of the reflector W = I - 2 V V^T sending translation a to coordinate D(N-1)+a."""
    v = np.full(n, 1.0 / np.sqrt(n))
    v[-1] -= 1.0
    v /= np.linalg.norm(v)
    return np.kron(v[:, None], np.eye(dim))


def deflate_translations(m, dim: int):
    """Return (W M W with the last D rows/cols removed, V): M on the translation complement."""
    a = np.asarray(m.toarray() if sp.issparse(m) else m, dtype=float)
    n = a.shape[0] // dim
    v = _reflector(n, dim)
    av = a @ v
    b = a - 2.0 * v @ av.T - 2.0 * av @ v.T + 4.0 * v @ (v.T @ av) @ v.T
    k = dim * (n - 1)
    return b[:k, :k], v


def participation_ratio(vecs, dim: int) -> np.ndarray:
    """P_a = (1/N) (sum_i |e_a,i|^4)^-1 for each column of ``vecs`` (DN, k), normalised first."""
    vecs = np.asarray(vecs, dtype=float)
    if vecs.ndim == 1:
        vecs = vecs[:, None]
    n = vecs.shape[0] // dim
    w = (vecs**2).reshape(n, dim, -1).sum(axis=1)  # |e_a,i|^2, shape (N, k)
    w = w / w.sum(axis=0)
    return 1.0 / (n * (w**2).sum(axis=0))


def spectrum_density(eigenvalues, bins, n_modes: int | None = None):
    """D(lambda) histogram normalised by the number of modes (default: len(eigenvalues))."""
    counts, edges = np.histogram(eigenvalues, bins=bins)
    return counts / ((n_modes or len(eigenvalues)) * np.diff(edges)), edges


def default_tol(m) -> float:
    """1e-8 times the Gershgorin bound max_i sum_j |M_ij|."""
    return 1e-8 * float(np.max(np.asarray(abs(m).sum(axis=1))))


class _PardisoLDL:
    """Symmetric-indefinite LDL^T of M - shift I by MKL Pardiso (mtype -2), via ctypes.

    One METIS nested-dissection analysis (phase 11) of the pattern of triu(M) + I is reused for
    every shift (phase 22, numeric only). ``factor`` returns (n_positive, n_negative, n_perturbed)
    pivots = Pardiso's inertia iparm(22), iparm(23) and its perturbed-pivot count iparm(14).
    """

    _PARAMS = {1: 1, 2: 2, 8: 0, 10: 8, 11: 0, 13: 0, 21: 1, 24: 0, 25: 0, 27: 0, 35: 1}

    def __init__(self, m):
        import ctypes

        from pypardiso import PyPardisoSolver

        c = ctypes
        self._c = c
        self._fn = PyPardisoSolver(mtype=-2).libmkl.pardiso
        p_i32 = c.POINTER(c.c_int32)
        self._fn.argtypes = [c.POINTER(c.c_int64), p_i32, p_i32, p_i32, p_i32, p_i32, c.c_void_p,
                             p_i32, p_i32, p_i32, p_i32, p_i32, p_i32, c.c_void_p, c.c_void_p, p_i32]
        self._fn.restype = None
        coo = sp.coo_matrix(m)
        up = coo.row <= coo.col
        n = m.shape[0]
        rows = np.concatenate([coo.row[up], np.arange(n)])
        cols = np.concatenate([coo.col[up], np.arange(n)])
        vals = np.concatenate([coo.data[up], np.zeros(n)])
        a = sp.csr_matrix((vals, (rows, cols)), shape=(n, n))  # duplicates summed, zeros kept
        a.sort_indices()
        self.n = n
        self.indptr = a.indptr.astype(np.int32)
        self.indices = a.indices.astype(np.int32)
        self.data = np.ascontiguousarray(a.data, dtype=float)
        self._diag_pos = self.indptr[:-1]  # upper triangle, sorted: the diagonal comes first
        self._diag0 = self.data[self._diag_pos].copy()
        self.pt = np.zeros(64, dtype=np.int64)
        self.iparm = np.zeros(64, dtype=np.int32)
        for k, v in self._PARAMS.items():
            self.iparm[k - 1] = v
        self.perm = np.zeros(n, dtype=np.int32)
        self._call(11, np.zeros(n))
        self.shift = None

    def _call(self, phase, b):
        c = self._c
        p_i32 = c.POINTER(c.c_int32)
        b = np.asfortranarray(b, dtype=float)
        x = np.zeros_like(b)
        err = c.c_int32(0)
        i32 = lambda v: c.byref(c.c_int32(v))  # noqa: E731
        self._fn(self.pt.ctypes.data_as(c.POINTER(c.c_int64)), i32(1), i32(1), i32(-2), i32(phase),
                 i32(self.n), self.data.ctypes.data, self.indptr.ctypes.data_as(p_i32),
                 self.indices.ctypes.data_as(p_i32), self.perm.ctypes.data_as(p_i32),
                 i32(1 if b.ndim == 1 else b.shape[1]), self.iparm.ctypes.data_as(p_i32), i32(0),
                 b.ctypes.data, x.ctypes.data, c.byref(err))
        if err.value:
            raise np.linalg.LinAlgError(f"MKL Pardiso phase {phase} failed with error {err.value}")
        return x

    def factor(self, shift: float):
        self.data[self._diag_pos] = self._diag0 - shift
        self._call(22, np.zeros(self.n))
        self.shift = shift
        return int(self.iparm[21]), int(self.iparm[22]), int(self.iparm[13])

    def solve(self, b):
        return np.ascontiguousarray(self._call(33, b))

    def __del__(self):
        try:
            if self.pt.any():
                self._call(-1, np.zeros(self.n))
        except Exception:
            pass


def _have_pardiso() -> bool:
    try:
        import pypardiso  # noqa: F401
        return True
    except (ImportError, OSError):
        return False


def _superlu_count(m, sigma: float, max_tries: int):
    m = sp.csc_matrix(m)
    eye = sp.identity(m.shape[0], format="csc")
    for attempt in range(max_tries):
        s = sigma - 1e-6 * attempt * max(abs(sigma), 1e-12)
        lu = spla.splu(m - s * eye, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0,
                       options=dict(SymmetricMode=True))
        if np.array_equal(lu.perm_r, lu.perm_c):
            return int(np.count_nonzero(lu.U.diagonal() < 0)), lu
    raise np.linalg.LinAlgError("SuperLU left the diagonal pivots (singular leading minor); inertia unavailable")


def count_below(m, sigma: float, max_tries: int = 5, factor=None):
    """(#eigenvalues of sparse symmetric M below sigma, factorisation of M - s I) by LDL^T inertia.

    The factorisation object has ``solve(b)``; with MKL Pardiso (default) an existing
    ``_PardisoLDL`` of M may be passed as ``factor`` to reuse its ordering. s = sigma unless a
    pivot had to be perturbed, in which case sigma is nudged down by 1e-6 |sigma| per retry.
    Without pypardiso/MKL the SuperLU fallback is used (exact, but far slower at large N).
    """
    if factor is None:
        if not _have_pardiso():
            return _superlu_count(m, sigma, max_tries)
        factor = _PardisoLDL(m)
    for attempt in range(max_tries):
        s = sigma - 1e-6 * attempt * max(abs(sigma), 1e-12)
        npos, nneg, nperturbed = factor.factor(s)
        if nperturbed == 0 and npos + nneg == factor.n:
            return nneg, factor
    raise np.linalg.LinAlgError("Pardiso perturbed pivots (numerically singular M - sigma I); inertia unavailable")


def _lowest_sparse(m, k: int, tol: float, factor=None):
    """Lowest k eigenpairs of sparse symmetric M by shift-invert eigsh below the spectrum."""
    lam0 = spla.eigsh(m, k=1, which="SA", tol=1e-3, return_eigenvectors=False)[0]
    gap = max(1e-2 * abs(lam0), 1e3 * tol)
    sigma = lam0 - gap
    while True:
        below, factor = count_below(m, sigma, factor=factor)
        if below == 0:
            break
        sigma -= 10.0 * gap
        gap *= 10.0
    op = spla.LinearOperator(m.shape, matvec=factor.solve, dtype=float)
    vals, vecs = spla.eigsh(m, k=k, sigma=factor.shift if hasattr(factor, "shift") else sigma,
                            which="LM", OPinv=op)
    order = np.argsort(vals)
    return vals[order], vecs[:, order]


def _dense_modes(h, dim: int, tol: float, modes: str, n_lowest: int):
    """Eigenpairs of the translation-deflated dense Hessian, mapped back to DN components.

    ``modes='unstable'``: LAPACK ``syevr`` restricted to lambda < -tol (one tridiagonal
    reduction, vectors only for the selected modes: ~3x cheaper than all vectors), then, if
    fewer than ``n_lowest`` were found, the ``n_lowest`` lowest by index.
    """
    b, v = deflate_translations(h, dim)
    if modes == "all":
        vals, y = sla.eigh(b)
    else:
        vals, y = sla.eigh(b, subset_by_value=(-np.inf, -tol), driver="evr")
        if len(vals) < n_lowest:
            vals, y = sla.eigh(b, subset_by_index=(0, min(n_lowest, b.shape[0]) - 1), driver="evr")
    vecs = np.vstack([y, np.zeros((dim, y.shape[1]))])
    vecs -= 2.0 * v @ (v.T @ vecs)
    return vals, vecs, int(np.count_nonzero(vals < -tol))


def inm(h, dim: int, method: str = "auto", dense_max_dof: int = 6000, zero_tol: float | None = None,
        n_lowest: int = 20, modes: str = "unstable", max_vectors: int = 2000) -> INMResult:
    """Instantaneous normal modes of Hessian ``h`` (DN x DN); see the module docstring.

    ``modes='unstable'`` (default) computes every unstable eigenpair and at least the
    ``n_lowest`` lowest; ``modes='all'`` (dense path only) all DN - D. The sparse path resolves
    at most ``max_vectors`` eigenpairs (memory ~ 2 x DN x max_vectors x 8 bytes for ARPACK);
    ``n_unstable`` and ``f_u`` are always exact.
    """
    if method not in ("auto", "dense", "sparse"):
        raise ValueError(f"method must be 'auto', 'dense' or 'sparse', got {method!r}")
    if modes not in ("unstable", "all"):
        raise ValueError(f"modes must be 'unstable' or 'all', got {modes!r}")
    ndof = h.shape[0]
    if ndof % dim:
        raise ValueError(f"Hessian size {ndof} is not a multiple of dim={dim}")
    n_modes = ndof - dim
    tol = default_tol(h) if zero_tol is None else float(zero_tol)
    if method == "auto":
        method = "dense" if ndof <= dense_max_dof or modes == "all" else "sparse"
    if method == "dense":
        vals, vecs, n_uns = _dense_modes(h, dim, tol, modes, n_lowest)
    else:
        if modes == "all":
            raise ValueError("modes='all' needs the dense path (method='dense')")
        m = sp.csc_matrix(h)
        n_uns, factor = count_below(m, -tol)
        k = min(max(n_uns, n_lowest), max_vectors, ndof - 2)
        vals, vecs = _lowest_sparse(m, k, tol, factor if isinstance(factor, _PardisoLDL) else None)
    return INMResult(n_uns, n_modes, n_uns / n_modes, method, tol, vals, participation_ratio(vecs, dim), vecs)
