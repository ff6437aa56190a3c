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

Sparse path (default ``sparse_solver='davidson'``): one Cholesky factorisation, no inertia.
  1. sigma below the spectrum: a coarse Lanczos estimate lambda_0 of lambda_min (``eigsh``
     'SA', tolerance 1e-3), sigma = lambda_0 - max(0.01 |lambda_0|, 1e3 tol).
  2. Cholesky of M - sigma I (MKL Pardiso, mtype 2, METIS nested dissection, by default in
     single precision). Its success certifies M - sigma I > 0, i.e. no eigenvalue below sigma;
     a non-positive pivot lowers sigma (x10 gap) and refactorises.
  3. Block Davidson (``_block_davidson``) on the complement of the translations with the
     preconditioner (M - sigma I)^-1 applied by that factor to a block of vectors at once, and the
     Rayleigh-Ritz projection with the double-precision M, so the precision of the factor only
     changes the number of iterations, not the answer: every returned pair has residual
     |M y - theta y| <= 1e-9 g. It stops when the converged lowest Ritz pairs hold at least
     ``n_lowest`` pairs and one Ritz value above +tol. Ritz values are upper bounds of the
     eigenvalues (Cauchy interlacing), so n_u = #{theta < -tol} never over-counts; it would
     under-count only if an unstable eigenvector were missing from the whole search space.
     ``verify_count=True`` adds the certificate: the exact count by inertia (below), which the
     iteration must then reach. With more than ``max_vectors`` unstable modes the count always
     comes from the inertia.
The previous path, ``sparse_solver='two-factor'``: f_u by Sylvester's law of inertia, then
ARPACK shift-invert. With a symmetric permutation P and symmetric (1x1 / 2x2 Bunch-Kaufman)
pivots, P^T (M + tol I) P = L D L^T is congruent to M + tol I, so the number of negative
eigenvalues of D is the number of eigenvalues of M below -tol (Pardiso mtype -2, iparm 22/23
inertia, iparm 14 perturbed pivots; the count is accepted only if no pivot was perturbed and
n_pos + n_neg = DN, otherwise the shift is nudged). ``count_below`` is this count (SuperLU
fallback without MKL: ``SymmetricMode``, ``diag_pivot_thresh=0``, D = diag(U); exact but slow).

Why (``benchmarks/inm_scaling.py``, 3D KA-LJ T = 2 liquid quenched to W ~ 1e-2, 2-core
machine): the cost of both paths is the sparse factorisation of a 3D graph with ~50 neighbours
(dense separator fronts; factor flops x4.6 from N = 8000 to 16000). The Davidson path needs one
Cholesky instead of an LDL^T with pivoting plus an SPD refactorisation, in single precision
(half the memory traffic), and applies it to blocks of vectors (BLAS-3 triangular solves)
instead of ARPACK's one vector per solve. Measured total (eigenpairs of all n_u unstable modes):
N = 8000: 21 s vs 45 s (old); N = 16000: 89 s vs 179 s, 2.0 vs 2.2 GB; N = 32000: see the README
table (c). Unstable eigenvalues agree with the old path to 1.5e-12 and with LAPACK to 2e-13.
Alternatives measured on N = 8000: SuperLU inertia > 400 s, > 6 GB; qdldl (no supernodes) not
finished in 3 min; CHOLMOD / MUMPS have no pip wheels with their libraries; Lanczos without a
factorisation (``eigsh`` 'SA', k = 20) 138 s for only 20 of the 43 unstable modes.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

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
    residuals: np.ndarray | None = None
    stats: dict = field(default_factory=dict)

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


class _Pardiso:
    """MKL Pardiso factorisation of M - shift I for sparse symmetric M, via ctypes.

    ``mtype=-2``: symmetric-indefinite LDL^T (Bunch-Kaufman pivots), ``factor`` returns the inertia
    (n_positive, n_negative, n_perturbed) = iparm(22), iparm(23), iparm(14). ``mtype=2``: Cholesky;
    ``factor`` raises ``_NotPositiveDefinite`` (Pardiso error -4) unless M - shift I is positive
    definite, which is then certified, and returns (n, 0, 0). ``single=True`` factorises in single
    precision (iparm(28) = 1: half the memory and about half the time; solves are accurate to
    ~1e-5 relative, enough for a preconditioner). One METIS nested-dissection analysis (phase 11)
    of the pattern of triu(M) + I is reused for every shift (phase 22, numeric only).
    ``stats()`` reports the factor's nonzeros iparm(18), its flop count iparm(19) and Pardiso's
    memory iparm(15)-(17).
    """

    def __init__(self, m, mtype: int = -2, single: bool = False):
        import ctypes

        from pypardiso import PyPardisoSolver

        c = ctypes
        self._c = c
        self._fn = PyPardisoSolver(mtype=mtype).libmkl.pardiso
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
        self.n, self.mtype = n, mtype
        self.dtype = np.float32 if single else np.float64
        self.indptr = a.indptr.astype(np.int32)
        self.indices = a.indices.astype(np.int32)
        self.data = np.ascontiguousarray(a.data, dtype=self.dtype)
        self._diag_pos = self.indptr[:-1]  # upper triangle, sorted: the diagonal comes first
        self._diag0 = a.data[self._diag_pos].copy()
        self.pt = np.zeros(64, dtype=np.int64)
        self.iparm = np.zeros(64, dtype=np.int32)
        params = {1: 1, 2: 2, 8: 0, 10: 8 if mtype == -2 else 13, 11: 0, 13: 0, 18: -1, 19: -1,
                  21: 1, 24: 0, 25: 0, 27: 0, 28: int(single), 35: 1}
        for k, v in params.items():
            self.iparm[k - 1] = v
        self.perm = np.zeros(n, dtype=np.int32)
        self._call(11, np.zeros(n, self.dtype))
        self.shift = None

    def _call(self, phase, b):
        c = self._c
        p_i32 = c.POINTER(c.c_int32)
        b = np.asfortranarray(b, dtype=self.dtype)
        x = np.zeros_like(b)
        err = c.c_int32(0)
        i32 = lambda v: c.byref(c.c_int32(v))  # noqa: E731
        self._fn(self.pt.ctypes.data_as(c.POINTER(c.c_int64)), i32(1), i32(1), i32(self.mtype), i32(phase),
                 i32(self.n), self.data.ctypes.data, self.indptr.ctypes.data_as(p_i32),
                 self.indices.ctypes.data_as(p_i32), self.perm.ctypes.data_as(p_i32),
                 i32(1 if b.ndim == 1 else b.shape[1]), self.iparm.ctypes.data_as(p_i32), i32(0),
                 b.ctypes.data, x.ctypes.data, c.byref(err))
        if err.value == -4 and self.mtype == 2 and phase == 22:
            raise _NotPositiveDefinite("M - shift I is not positive definite (Pardiso Cholesky error -4)")
        if err.value:
            raise np.linalg.LinAlgError(f"MKL Pardiso phase {phase} failed with error {err.value}")
        return x

    def factor(self, shift: float):
        self.shift = None
        self.data[self._diag_pos] = self._diag0 - shift
        self._call(22, np.zeros(self.n, self.dtype))
        self.shift = shift
        if self.mtype == 2:
            return self.n, 0, 0
        return int(self.iparm[21]), int(self.iparm[22]), int(self.iparm[13])

    def solve(self, b):
        """x = (M - shift I)^-1 b for b of shape (n,) or (n, k), returned in float64."""
        return np.ascontiguousarray(self._call(33, b), dtype=float)

    def stats(self) -> dict:
        ip = self.iparm
        return {"factor_nnz": int(ip[17]), "factor_gflop": float(ip[18]) / 1e3,
                "pardiso_peak_analysis_gb": float(ip[14]) / 2**20,
                "pardiso_factor_solve_gb": float(ip[15] + ip[16]) / 2**20, "single": bool(ip[27])}

    def free(self):
        if self.pt.any():
            self._call(-1, np.zeros(self.n, self.dtype))
            self.pt[:] = 0

    def __del__(self):
        try:
            self.free()
        except Exception:
            pass


class _NotPositiveDefinite(np.linalg.LinAlgError):
    pass


class _PardisoLDL(_Pardiso):
    """Double-precision symmetric-indefinite LDL^T (mtype -2): the inertia factorisation."""

    def __init__(self, m):
        super().__init__(m, mtype=-2, single=False)


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


def _lowest_sparse(m, k: int, tol: float, factor=None, stats: dict | None = None):
    """Lowest k eigenpairs of sparse symmetric M by shift-invert eigsh below the spectrum
    (the 'two-factor' path: ARPACK, one solve per Lanczos vector)."""
    clock = time.perf_counter
    t0 = clock()
    lam0 = _lambda_min_estimate(m)
    t1 = clock()
    gap = _first_gap(lam0, tol)
    sigma = lam0 - gap
    while True:
        below, factor = count_below(m, sigma, factor=factor)
        if below == 0:
            break
        sigma -= 10.0 * gap
        gap *= 10.0
    t2 = clock()
    n_solves = [0]

    def solve(b):
        n_solves[0] += 1
        return factor.solve(b)

    op = spla.LinearOperator(m.shape, matvec=solve, dtype=float)
    vals, vecs = spla.eigsh(m, k=k, sigma=factor.shift if hasattr(factor, "shift") else sigma,
                            which="LM", OPinv=op)
    if stats is not None:
        stats.update(lam_min_estimate_s=t1 - t0, shift_factor_s=t2 - t1, arpack_s=clock() - t2,
                     n_solves=n_solves[0], sigma=sigma)
    order = np.argsort(vals)
    return vals[order], vecs[:, order]


def _orthonormalise(w, v, proj):
    """Columns of w made orthonormal and orthogonal to the orthonormal v and to the translations:
    block Gram-Schmidt twice, then SVQB (w^T w = U S U^T, w <- w U S^-1/2, twice), dropping
    directions whose norm fell below 1e-7 of the original (already in span(v) or dependent)."""
    w = proj(w)
    w = w / np.maximum(np.linalg.norm(w, axis=0), np.finfo(float).tiny)
    for _ in range(2):
        if v.shape[1]:
            w -= v @ (v.T @ w)
        w = proj(w)
    for cut in (1e-14, 1e-10):
        s, u = np.linalg.eigh(w.T @ w)
        keep = s > cut * max(1.0, s.max(initial=0.0))
        if not keep.any():
            return w[:, :0]
        w = w @ (u[:, keep] / np.sqrt(s[keep]))
        if v.shape[1]:
            w -= v @ (v.T @ w)
    return w


_BASIS_GROW, _BASIS_BLOCKS, _KEEP_BLOCKS = 2, 16, 3


def _block_davidson(m, op, dim: int, tol: float, k_min: int, k_max: int, n_count: int | None = None,
                    block: int = 16, res_tol: float = 1e-9, seed: int = 0, stats: dict | None = None):
    """Lowest eigenpairs of sparse symmetric M (translations projected out) by block Davidson with
    the shift-invert preconditioner ``op`` ~ (M - sigma I)^-1 (applied to a block at once).

    Each step expands the basis V by op(R) for the ``block`` lowest unconverged Ritz residuals
    R = M Y - Y Theta and does Rayleigh-Ritz with the exact (double-precision) M, so an inexact
    (single-precision) ``op`` costs only iterations, never accuracy. A Ritz pair is converged when
    |M y - theta y| <= res_tol * g (g the Gershgorin bound). Stops when the converged prefix (the
    lowest Ritz pairs, all converged) holds >= k_min pairs and (a) a Ritz value > +tol, or (b) with
    ``n_count`` given, n_count values < -tol; or (c) when it reaches k_max without (a): then
    ``complete`` is False. Ritz values are upper bounds (theta_j >= lambda_j, Cauchy interlacing),
    so #{theta < -tol} never over-counts. The basis is restarted on the lowest Ritz vectors when
    it exceeds max(2 target, target + 16 block) columns. Returns (theta, Y, residuals, complete).
    """
    n = m.shape[0]
    t = translation_basis(n // dim, dim)
    proj = lambda x: x - t @ (t.T @ x)  # noqa: E731
    nd = n - dim
    k_min, k_max = min(k_min, nd), min(max(k_max, k_min), nd)
    atol = res_tol * float(np.max(np.asarray(abs(m).sum(axis=1))))
    block = max(1, min(block, nd))
    cap = min(nd, max(_BASIS_GROW * (k_min + 1), k_min + 1 + _BASIS_BLOCKS * block))
    v = np.empty((n, cap), order="F")
    hv = np.empty((n, cap), order="F")
    gram = np.zeros((0, 0))
    s = 0
    n_solves = n_iter = n_restart = 0

    def add(w):
        nonlocal v, hv, gram, s, cap
        w = _orthonormalise(w, v[:, :s], proj)
        b = w.shape[1]
        if not b:
            return 0
        if s + b > cap:  # the target grew past the preallocated basis
            cap = min(nd, max(2 * cap, s + b))
            v2, hv2 = np.empty((n, cap), order="F"), np.empty((n, cap), order="F")
            v2[:, :s], hv2[:, :s] = v[:, :s], hv[:, :s]
            v, hv = v2, hv2
        hw = np.asarray(m @ w)
        c = v[:, :s].T @ hw
        gram = np.block([[gram, c], [c.T, w.T @ hw]])
        v[:, s:s + b], hv[:, s:s + b] = w, hw
        s += b
        return b

    def ritz(z, theta, cols):
        y, hy = v[:, :s] @ z[:, cols], hv[:, :s] @ z[:, cols]
        return y, hy, np.linalg.norm(hy - y * theta[cols], axis=0)

    rng = np.random.default_rng(seed)

    def add_random_block():  # preconditioned random vectors: the start, and widening a converged basis
        nonlocal n_solves
        n_solves += block
        return add(op(proj(rng.standard_normal((n, block)))))

    add_random_block()
    lo = 0  # converged prefix found so far (re-checked in full before returning)
    while True:
        n_iter += 1
        theta, z = sla.eigh((gram + gram.T) / 2)
        n_neg = int(np.count_nonzero(theta < -tol))
        target = min(max(k_min, min(n_neg + 1, k_max), n_count or 0), s)
        full = s >= nd
        lo = min(lo, target)
        win = np.arange(lo, min(s, max(target, lo + 2 * block)))
        y, hy, res = ritz(z, theta, win)
        conv = (res <= atol) | full
        nc = lo + (int(np.argmin(conv)) if not conv.all() else len(win))
        pre = theta[:nc]
        done = nc >= k_min and (full or np.any(pre > tol)
                                or (n_count is not None and np.count_nonzero(pre < -tol) >= n_count))
        if done or nc >= k_max:
            k = min(max(k_min, int(np.count_nonzero(pre < -tol))) if done else nc, k_max, nc)
            yk, hyk, rk = ritz(z, theta, np.arange(k))  # the whole prefix, checked again
            bad = np.flatnonzero(rk > atol) if not full else np.array([], int)
            if not len(bad):
                if stats is not None:
                    stats.update(n_solves=n_solves, n_iter=n_iter, n_restart=n_restart, basis=s,
                                 max_residual=float(rk.max(initial=0.0)))
                return theta[:k], yk, rk, bool(done)
            lo = int(bad[0])
            continue
        idx = np.flatnonzero(~conv)[:block]
        lo = nc
        if not len(idx):  # every Ritz pair converged, none above +tol yet: widen the basis
            if not add_random_block():
                nd = s
            continue
        w_new = hy[:, idx] - y[:, idx] * theta[win[idx]]  # residuals of the unconverged Ritz pairs
        if s + len(idx) > max(_BASIS_GROW * target, target + _BASIS_BLOCKS * block):
            keep = min(s, target + _KEEP_BLOCKS * block)  # thick restart on the lowest Ritz vectors
            yk, hyk, _ = ritz(z, theta, np.arange(keep))
            v[:, :keep], hv[:, :keep] = yk, hyk
            s, gram = keep, np.diag(theta[:keep])
            n_restart += 1
        n_solves += len(idx)
        if not add(op(w_new)):  # no new direction: span(V) is invariant, its Ritz pairs are exact
            nd = s


def _lambda_min_estimate(m) -> float:
    """Coarse lowest eigenvalue (Lanczos, 1e-3 relative); the caller keeps a margin below it."""
    try:
        return float(spla.eigsh(m, k=1, which="SA", tol=1e-3, return_eigenvectors=False)[0])
    except spla.ArpackNoConvergence as err:
        if len(err.eigenvalues):
            return float(np.min(err.eigenvalues))
        return -float(np.max(np.asarray(abs(m).sum(axis=1))))  # Gershgorin bound


def _first_gap(lam0: float, tol: float) -> float:
    """Margin of the first shift below the Lanczos estimate lambda_0 of lambda_min."""
    return max(1e-2 * abs(lam0), 1e3 * tol)


def cholesky_below_spectrum(m, tol: float, single: bool = True, stats: dict | None = None) -> _Pardiso:
    """Pardiso Cholesky of M - sigma I with sigma below lambda_min (steps 1-2 of the sparse path):
    sigma = lambda_0 - gap, the gap x10 after each non-positive pivot. The factor's ``shift`` is
    sigma; ``stats`` gets the phase times, sigma, the number of factorisations and ``f.stats()``."""
    clock = time.perf_counter
    t0 = clock()
    lam0 = _lambda_min_estimate(m)
    gap = _first_gap(lam0, tol)
    t1 = clock()
    f = _Pardiso(m, mtype=2, single=single)
    t2 = clock()
    for attempt in range(8):
        try:
            f.factor(lam0 - gap)
            break
        except _NotPositiveDefinite:  # the estimate was not below the spectrum: lower sigma
            gap *= 10.0
    else:
        f.free()
        raise np.linalg.LinAlgError("no shift below the spectrum found for the Cholesky factorisation")
    if stats is not None:
        stats.update(lam_min_estimate_s=t1 - t0, analysis_s=t2 - t1, factor_s=clock() - t2, sigma=f.shift,
                     n_factorisations=attempt + 1, **f.stats())
    return f


def _sparse_block(m, dim: int, tol: float, n_lowest: int, max_vectors: int, verify_count: bool,
                  single: bool, block: int, stats: dict):
    """One Cholesky of M - sigma I (sigma < lambda_min) + block Davidson; see the module docstring."""
    clock = time.perf_counter

    def inertia_count():  # the exact count by LDL^T (the 'two-factor' path's first step)
        t0 = clock()
        n, ldl = count_below(m, -tol)
        ldl.free()
        stats["verify_s"] = clock() - t0
        return n

    n_exact = inertia_count() if verify_count else None
    f = cholesky_below_spectrum(m, tol, single, stats)
    t0 = clock()
    vals, vecs, res, complete = _block_davidson(m, f.solve, dim, tol, min(n_lowest, max_vectors), max_vectors,
                                                n_exact, block=block, stats=stats)
    stats["eig_s"] = clock() - t0
    f.free()
    if n_exact is None:  # without verify_count: the Davidson count, or the inertia beyond max_vectors
        n_exact = int(np.count_nonzero(vals < -tol)) if complete else inertia_count()
    return n_exact, vals, vecs, res


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
        n_lowest: int = 20, modes: str = "unstable", max_vectors: int = 2000, verify_count: bool = False,
        sparse_solver: str = "davidson", factor_precision: str = "single", block: int = 16) -> INMResult:
    """Instantaneous normal modes of Hessian ``h`` (DN x DN); see the module docstring.

    ``modes='unstable'`` (default) computes every unstable eigenpair and at least the
    ``n_lowest`` lowest; ``modes='all'`` (dense path only) all DN - D. The sparse path resolves
    at most ``max_vectors`` eigenpairs; ``n_unstable`` and ``f_u`` count all unstable modes
    (beyond ``max_vectors`` by inertia). Sparse options: ``sparse_solver='davidson'`` (default:
    one Cholesky of M - sigma I below the spectrum, in ``factor_precision`` 'single' or
    'double', + block Davidson with ``block`` vectors per step; ``verify_count=True`` adds the
    exact LDL^T inertia count at -tol, which the Davidson iteration must then reach) or
    ``'two-factor'`` (the previous path: LDL^T inertia count, then ARPACK shift-invert).
    ``stats`` holds phase times (s), factor size and flops, iterations, and the largest residual.
    """
    if method not in ("auto", "dense", "sparse"):
        raise ValueError(f"method must be 'auto', 'dense' or 'sparse', got {method!r}")
    if modes not in ("unstable", "all"):
        raise ValueError(f"modes must be 'unstable' or 'all', got {modes!r}")
    if sparse_solver not in ("davidson", "two-factor"):
        raise ValueError(f"sparse_solver must be 'davidson' or 'two-factor', got {sparse_solver!r}")
    if factor_precision not in ("single", "double"):
        raise ValueError(f"factor_precision must be 'single' or 'double', got {factor_precision!r}")
    ndof = h.shape[0]
    if ndof % dim:
        raise ValueError(f"Hessian size {ndof} is not a multiple of dim={dim}")
    n_modes = ndof - dim
    tol = default_tol(h) if zero_tol is None else float(zero_tol)
    if method == "auto":
        method = "dense" if ndof <= dense_max_dof or modes == "all" else "sparse"
    stats: dict = {}
    res = None
    if method == "dense":
        vals, vecs, n_uns = _dense_modes(h, dim, tol, modes, n_lowest)
    else:
        if modes == "all":
            raise ValueError("modes='all' needs the dense path (method='dense')")
        m = sp.csr_matrix(h)
        if sparse_solver == "davidson" and _have_pardiso():
            n_uns, vals, vecs, res = _sparse_block(m, dim, tol, n_lowest, max_vectors, verify_count,
                                                   factor_precision == "single", block, stats)
        else:
            clock = time.perf_counter
            t0 = clock()
            m = sp.csc_matrix(m)
            n_uns, factor = count_below(m, -tol)
            t1 = clock()
            k = min(max(n_uns, n_lowest), max_vectors, ndof - 2)
            vals, vecs = _lowest_sparse(m, k, tol, factor if isinstance(factor, _PardisoLDL) else None, stats)
            stats.update(verify_s=t1 - t0, eig_s=clock() - t1)
            if isinstance(factor, _Pardiso):
                stats.update(factor.stats())
            res = np.linalg.norm(m @ vecs - vecs * vals, axis=0)
    return INMResult(n_uns, n_modes, n_uns / n_modes, method, tol, vals, participation_ratio(vecs, dim), vecs,
                     res, stats)
