"""Instantaneous normal modes (INM) of a Hessian M (DN x DN), without the D translations.

Definitions (P1 = Shimada et al. 2024; SCIENCE.md Sec. 3): eigenpairs (lambda_a, e_a) of M
with the D uniform translations removed, so there are DN - D modes; the unstable fraction
f_u = #{lambda_a < -tol} / (DN - D); participation ratio P_a = (1/N) (sum_i |e_a,i|^4)^-1
with e_a,i particle i's D-vector and |e_a| = 1; spectrum D(lambda) = (1/(DN-D)) sum delta(lambda - lambda_a).

Zero tolerance: tol = 1e-8 * g, g = max_i sum_j |M_ij| (the Gershgorin bound on |lambda|).
Eigenvalues in [-tol, tol] are zero modes (translations; rattlers of harmonic spheres give
exact zeros) and never count as unstable.

Dense path (DN <= dense_max_dof): the translations are mapped by a Householder reflector onto the
last particle's D coordinates (``glasstools.linalg.deflate_translations``), leaving M restricted
to the complement of the translations. LAPACK ``eigh`` then gives the DN - D modes:
all of them (``modes='all'``) or, by default, only the unstable ones (``syevr`` by value).

Sparse path (default ``sparse_solver='davidson'``): one Cholesky factorisation, no inertia. The
solvers live in ``glasstools.linalg`` (factorisations: ``factor``; eigen-solvers: ``eigen``); every
iterative step starts from ``default_rng(seed)`` (``inm(..., seed=0)``), so results are
bit-identical between runs on one machine.
  1. sigma below the spectrum: a coarse seeded Lanczos estimate lambda_0 of lambda_min (``eigsh``
     'SA', tolerance 1e-3), sigma = lambda_0 - max(0.01 |lambda_0|, 1e3 tol).
  2. Cholesky of M - sigma I (MKL Pardiso, mtype 2, METIS nested dissection, by default in
     single precision; SuperLU without pypardiso or with $GLASSTOOLS_SPARSE_BACKEND=superlu).
     Its success certifies M - sigma I > 0, i.e. no eigenvalue below sigma; a non-positive
     pivot lowers sigma (x10 gap) and refactorises.
  3. Block Davidson (``glasstools.linalg.block_davidson``) on the complement of the translations with the
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
n_pos + n_neg = DN, otherwise the shift is nudged). ``glasstools.linalg.count_below`` is this count
(SuperLU fallback: ``SymmetricMode``, ``diag_pivot_thresh=0``, D = diag(U); exact but slow).

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

from ..linalg import (DEFAULT_SEED, block_davidson, cholesky_below_spectrum, count_below, deflate_translations,
                      lowest_shift_invert, resolve_backend)

RES_TOL = 1e-9  # Davidson residual tolerance, relative to the Gershgorin bound


@dataclass
class INMResult:
    """Computed eigenpairs (ascending) and summary numbers of one Hessian.

    ``n_unstable`` is exact (dense eigenvalues or sparse inertia); ``eigenvalues``/``vectors``
    hold the modes that were computed: every unstable mode (sparse: at most ``max_vectors``,
    see ``n_unstable_resolved``), at least the ``n_lowest`` lowest, or all DN - D modes with
    ``modes='all'`` (dense only). Vectors are unit columns, particle-major (x, y, z of atom 0, ...).
    ``settings`` holds the solver settings that produced them (stored with the modes).
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
    settings: dict = field(default_factory=dict)

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


def _sparse_block(m, dim: int, tol: float, n_lowest: int, max_vectors: int, verify_count: bool,
                  precision: str, block: int, seed: int, stats: dict):
    """One Cholesky of M - sigma I (sigma < lambda_min) + block Davidson; see the module docstring."""
    clock = time.perf_counter

    def inertia_count():  # the exact count by LDL^T (the 'two-factor' path's first step)
        t0 = clock()
        n, ldl = count_below(m, -tol)
        ldl.free()
        stats["verify_s"] = clock() - t0
        return n

    n_exact = inertia_count() if verify_count else None
    with cholesky_below_spectrum(m, tol, precision, seed=seed, stats=stats) as f:
        t0 = clock()
        vals, vecs, res, complete = block_davidson(m, f.solve, dim, tol, min(n_lowest, max_vectors), max_vectors,
                                                   n_exact, block=block, res_tol=RES_TOL, seed=seed, stats=stats)
        stats["eig_s"] = clock() - t0
    if n_exact is None:  # without verify_count: the Davidson count, or the inertia beyond max_vectors
        n_exact = int(np.count_nonzero(vals < -tol)) if complete else inertia_count()
    return n_exact, vals, vecs, res


def _two_factor(m, tol: float, n_lowest: int, max_vectors: int, seed: int, stats: dict):
    """The previous sparse path: LDL^T inertia count at -tol, then shift-invert Lanczos."""
    clock = time.perf_counter
    t0 = clock()
    n_uns, ldl = count_below(m, -tol)
    t1 = clock()
    k = min(max(n_uns, n_lowest), max_vectors, m.shape[0] - 2)
    vals, vecs = lowest_shift_invert(m, k, tol, reuse=ldl, seed=seed, stats=stats)
    ldl.free()
    stats.update(verify_s=t1 - t0, eig_s=clock() - t1)
    return n_uns, vals, vecs, np.linalg.norm(m @ vecs - vecs * vals, axis=0)


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
        sparse_solver: str = "davidson", factor_precision: str = "single", block: int = 16,
        seed: int = DEFAULT_SEED) -> INMResult:
    """Instantaneous normal modes of Hessian ``h`` (DN x DN); see the module docstring.

    ``modes='unstable'`` (default) computes every unstable eigenpair and at least the
    ``n_lowest`` lowest; ``modes='all'`` (dense path only) all DN - D. The sparse path resolves
    at most ``max_vectors`` eigenpairs; ``n_unstable`` and ``f_u`` count all unstable modes
    (beyond ``max_vectors`` by inertia). Sparse options: ``sparse_solver='davidson'`` (default:
    one Cholesky of M - sigma I below the spectrum, in ``factor_precision`` 'single' or
    'double', + block Davidson with ``block`` vectors per step; ``verify_count=True`` adds the
    exact LDL^T inertia count at -tol, which the Davidson iteration must then reach) or
    ``'two-factor'`` (the previous path: LDL^T inertia count, then ARPACK shift-invert).
    ``seed`` seeds every iterative start (Lanczos estimate, Davidson blocks, ARPACK).
    ``stats`` holds phase times (s), factor size and flops, iterations, and the largest residual;
    ``settings`` the solver settings (stored with the modes by ``glasstools.io.modes``).
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
    settings = {"method": method, "modes": modes, "n_lowest": n_lowest, "zero_tol": tol, "N": ndof // dim,
                "dim": dim, "dof": ndof}
    stats: dict = {}
    res = None
    if method == "dense":
        vals, vecs, n_uns = _dense_modes(h, dim, tol, modes, n_lowest)
        settings["solver"] = "LAPACK syevr (translation-deflated)" if modes != "all" else "LAPACK syevd"
    else:
        if modes == "all":
            raise ValueError("modes='all' needs the dense path (method='dense')")
        m = sp.csr_matrix(h)
        settings.update(sparse_solver=sparse_solver, seed=seed, max_vectors=max_vectors, backend=resolve_backend())
        if sparse_solver == "davidson":
            n_uns, vals, vecs, res = _sparse_block(m, dim, tol, n_lowest, max_vectors, verify_count,
                                                   factor_precision, block, seed, stats)
            settings.update(factor_precision=factor_precision, block=block, residual_tol=RES_TOL,
                            verify_count=verify_count, sigma=stats["sigma"])
        else:
            n_uns, vals, vecs, res = _two_factor(sp.csc_matrix(m), tol, n_lowest, max_vectors, seed, stats)
            settings.update(sigma=stats["sigma"])
    return INMResult(n_uns, n_modes, n_uns / n_modes, method, tol, vals, participation_ratio(vecs, dim), vecs,
                     res, stats, settings)


def parse_store(store: str) -> tuple[str, int]:
    """('none' | 'unstable' | 'all' | 'lowest', k) of a stored-modes choice ``none``, ``unstable``,
    ``all`` or ``lowest:k`` (k >= 1: the k lowest modes)."""
    kind, _, k = str(store).partition(":")
    if kind in ("none", "unstable", "all") and not k:
        return kind, 0
    if kind == "lowest" and k.isdigit() and int(k) >= 1:
        return kind, int(k)
    raise ValueError(f"store_modes must be 'none', 'unstable', 'all' or 'lowest:k' with k >= 1, got {store!r}")


def inm_options_for_store(store: str, n_lowest: int) -> dict:
    """The ``inm`` keywords that compute what ``store`` keeps: all modes (dense) for 'all', at least
    k lowest for 'lowest:k' (n_lowest raised to k), otherwise ``n_lowest`` unchanged."""
    kind, k = parse_store(store)
    if kind == "all":
        return {"modes": "all", "n_lowest": n_lowest}
    return {"modes": "unstable", "n_lowest": max(n_lowest, k)}


def stored_modes(res: INMResult, h, store: str, meta: dict | None = None):
    """The ``glasstools.io.modes.ModeSet`` of ``res`` that ``store`` keeps (None for 'none'): the
    resolved unstable modes, the k lowest, or all computed modes, with residuals |H e - lambda e|
    and the solver settings, counts and ``meta`` in its metadata."""
    from ..io.modes import ModeSet

    kind, k = parse_store(store)
    if kind == "none":
        return None
    cols = {"unstable": np.flatnonzero(res.unstable), "lowest": np.arange(min(k, len(res.eigenvalues))),
            "all": np.arange(len(res.eigenvalues))}[kind]
    if kind == "all" and res.settings.get("modes") != "all":
        raise ValueError("store_modes='all' needs inm(..., modes='all') (see inm_options_for_store)")
    vecs = res.vectors[:, cols]
    if res.residuals is not None:
        resid = res.residuals[cols]
    else:
        resid = np.linalg.norm(h @ vecs - vecs * res.eigenvalues[cols], axis=0)
    info = {**res.settings, "which": store, "n_unstable": res.n_unstable, "n_modes": res.n_modes,
            "n_unstable_resolved": res.n_unstable_resolved, "zero_tol": res.tol, **(meta or {})}
    return ModeSet(res.eigenvalues[cols], vecs, resid, info)
