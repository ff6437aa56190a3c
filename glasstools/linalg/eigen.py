"""Seeded iterative eigen-solvers for sparse symmetric M: Lanczos (ARPACK) estimates of the spectral
edges, a Cholesky factorisation below the spectrum, shift-invert Lanczos and block Davidson.

Every iterative solver starts from a vector drawn from ``numpy.random.default_rng(seed)`` (default
seed 0), never from ARPACK's own random start: since scipy 1.15 that start (and the restart after
an invariant subspace) comes from OS entropy, so ``eigsh`` without ``v0`` differs in the last bits
between calls and between runs (issue 11, Sec. 3). With a fixed seed a result is bit-identical on
the same machine and library build.
"""
from __future__ import annotations

import inspect
import time

import numpy as np
import scipy.linalg as sla
import scipy.sparse.linalg as spla

from .factor import Factorisation, NotPositiveDefinite, count_below, factor
from .translations import translation_basis

DEFAULT_SEED = 0
_EIGSH_HAS_RNG = "rng" in inspect.signature(spla.eigsh).parameters


def start_vector(n: int, seed: int = DEFAULT_SEED, k: int | None = None) -> np.ndarray:
    """Standard normal start vector (n,) or block (n, k) from ``default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal(n if k is None else (n, k))


def eigsh(m, k: int = 6, seed: int = DEFAULT_SEED, **kwargs):
    """``scipy.sparse.linalg.eigsh`` started from ``start_vector(n, seed)`` (and, where scipy takes
    one, with ``default_rng(seed)`` for restarts): deterministic for a given seed."""
    kwargs.setdefault("v0", start_vector(m.shape[0], seed))
    if _EIGSH_HAS_RNG:
        kwargs.setdefault("rng", np.random.default_rng(seed))
    return spla.eigsh(m, k=k, **kwargs)


def lambda_max(m, seed: int = DEFAULT_SEED, tol: float = 0.0) -> float:
    """Largest eigenvalue of symmetric M (Lanczos 'LA', ``tol`` relative; 0: machine precision)."""
    return float(eigsh(m, k=1, seed=seed, which="LA", tol=tol, return_eigenvectors=False)[0])


def lambda_min_estimate(m, seed: int = DEFAULT_SEED) -> float:
    """Coarse lowest eigenvalue (Lanczos 'SA', 1e-3 relative); the caller keeps a margin below it."""
    try:
        return float(eigsh(m, k=1, seed=seed, which="SA", tol=1e-3, return_eigenvectors=False)[0])
    except spla.ArpackNoConvergence as err:
        if len(err.eigenvalues):
            return float(np.min(err.eigenvalues))
        return -float(np.max(np.asarray(abs(m).sum(axis=1))))  # Gershgorin bound


def first_gap(lam0: float, tol: float) -> float:
    """Margin of the first shift below the Lanczos estimate lambda_0 of lambda_min."""
    return max(1e-2 * abs(lam0), 1e3 * tol)


def cholesky_below_spectrum(m, tol: float, precision: str = "single", backend: str | None = None,
                            seed: int = DEFAULT_SEED, stats: dict | None = None) -> Factorisation:
    """Cholesky of M - sigma I with sigma below lambda_min: sigma = lambda_0 - gap (lambda_0 the
    seeded Lanczos estimate, gap = ``first_gap``), the gap x10 after each non-positive pivot. Its
    success certifies that no eigenvalue of M lies below sigma. The factor's ``shift`` is sigma;
    ``stats`` gets the phase times, sigma, the number of factorisations and the factor's stats."""
    clock = time.perf_counter
    t0 = clock()
    lam0 = lambda_min_estimate(m, seed)
    gap = first_gap(lam0, tol)
    t1 = clock()
    f = factor(m, None, "cholesky", precision, backend)
    t2 = clock()
    for attempt in range(8):
        try:
            f.refactor(lam0 - gap)
            break
        except NotPositiveDefinite:  # the estimate was not below the spectrum: lower sigma
            gap *= 10.0
    else:
        f.free()
        raise np.linalg.LinAlgError("no shift below the spectrum found for the Cholesky factorisation")
    if stats is not None:
        stats.update(lam_min_estimate_s=t1 - t0, analysis_s=t2 - t1, factor_s=clock() - t2, sigma=f.shift,
                     n_factorisations=attempt + 1, backend=f.backend, **f.stats())
    return f


def lowest_shift_invert(m, k: int, tol: float, reuse: Factorisation | None = None, seed: int = DEFAULT_SEED,
                        stats: dict | None = None):
    """Lowest k eigenpairs of sparse symmetric M by shift-invert Lanczos (ARPACK, one solve per
    Lanczos vector) at sigma below the spectrum, certified by an LDL^T inertia count of zero
    (``reuse``: an 'ldl' factorisation of M whose ordering is reused)."""
    clock = time.perf_counter
    t0 = clock()
    lam0 = lambda_min_estimate(m, seed)
    t1 = clock()
    gap = first_gap(lam0, tol)
    sigma = lam0 - gap
    f = reuse
    while True:
        below, f = count_below(m, sigma, reuse=f)
        if below == 0:
            break
        sigma -= 10.0 * gap
        gap *= 10.0
    t2 = clock()
    n_solves = [0]

    def solve(b):
        n_solves[0] += 1
        return f.solve(b)

    op = spla.LinearOperator(m.shape, matvec=solve, dtype=float)
    vals, vecs = eigsh(m, k=k, seed=seed, sigma=f.shift, which="LM", OPinv=op)
    if stats is not None:
        stats.update(lam_min_estimate_s=t1 - t0, shift_factor_s=t2 - t1, arpack_s=clock() - t2,
                     n_solves=n_solves[0], sigma=f.shift, backend=f.backend, **f.stats())
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


def block_davidson(m, op, dim: int, tol: float, k_min: int, k_max: int, n_count: int | None = None,
                   block: int = 16, res_tol: float = 1e-9, seed: int = DEFAULT_SEED, stats: dict | None = None):
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
    it exceeds max(2 target, target + 16 block) columns. Random start blocks come from
    ``default_rng(seed)``. Returns (theta, Y, residuals, complete).
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
