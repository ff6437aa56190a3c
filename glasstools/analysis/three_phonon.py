"""Three-phonon (cubic anharmonic) linewidths Gamma_k of every normal mode of an inherent structure,
classical statistics, from the analytic third derivatives of a pair potential.

Vertex (P3 = Mizuno, Tong, Ikeda, Mossa, J. Chem. Phys. 153, 154501 (2020), Eqs. (11)-(12) as
rebuilt in SCIENCE_P3_P4 §1.3; THREE_PHONON_NOTES §4): with masses 1, unit eigenvectors e_k and, per
pair p = (i, j), x = r_j - r_i, r = |x|, n = x / r, a_k = e_k,j - e_k,i,

    V_klm = d^3 Phi / dq_k dq_l dq_m = sum_p T_p(a_k, a_l, a_m),
    T_p(a, b, c) = A (n.a)(n.b)(n.c) + B [(a.b)(n.c) + (a.c)(n.b) + (b.c)(n.a)],
    B = U''/r - U'/r^2,   A = U''' - 3 U''/r + 3 U'/r^2 = U''' - 3 B,

U^(n) = ``model.derivative(n, r, p)`` (analytic, no finite differences). Equivalently
V_klm = e_l^T K_k e_m with K_k = dH/dq_k on the Hessian's sparsity pattern: off-diagonal blocks
K[i, j] = -T_p(a_k), diagonal K[i, i] = sum_p T_p(a_k), T_p(a) = A s n n^T + B (a n^T + n a^T + s I),
s = n.a (``hessian_derivative``).

Linewidth (P3 Eq. (13), classical limit of Eq. (10)):

    Gamma_k = (pi T / 4) sum_{l,m} |V_klm|^2 / (omega_l^2 omega_m^2)
              x [ (1/2) delta(omega_k - omega_l - omega_m) + delta(omega_k + omega_l - omega_m) ],

sums over ordered (l, m) of all DN - D modes; the first term (k splits into l + m) is ``gamma_split``,
the second (k combines with l into m) ``gamma_combine``. Gamma_k is the energy decay rate of mode k
(the FWHM of its line), tau_k = 1 / Gamma_k is the decay time of the mode-energy autocorrelation
(P3 Eq. 9); classical Gamma is exactly proportional to T (k_B = 1). delta is the truncated,
renormalised Gaussian of ``glasstools.analysis.harmonic`` (std = ``width`` mean level spacings, cut at
``cutoff_sigmas`` std), the same as in the joint DOS; the sum is exact for that delta.
Conventions elsewhere: kALDo's classical ``bandwidth`` equals Gamma; phono3py's Gamma is a half width
(Gamma_ours = 4 pi Gamma_phono3py[THz]).

Algorithm (``linewidths``, THREE_PHONON_NOTES §5-7, "windowed resonant triples"): every resonant
triple (c; a <= b) with |omega_c - omega_a - omega_b| < W is computed once and its |V|^2 is added to
Gamma_c (split) and to Gamma_a, Gamma_b (combine); these are all the non-zero terms of the sums.
Modes c are taken in batches of consecutive frequency; for a batch, Y_c = K_c E_S is formed only on
the columns S of the window (the b side or the a side, whichever is smaller) by one small dense GEMM
per atom (the K_c blocks of an atom and its neighbours times the gathered rows of E), and
V = E_O^T Y_c only on the band of the other side O that can resonate (intervals, omega is sorted).
Cost O(n^3) at fixed width, memory O(n^2) (E and one batch of Y). With ``modes`` given, the same
kernels compute Gamma_k per mode k (split and combine windows of k only), cost proportional to
the number of modes (frequency bands of large systems). ``linewidths_dense`` is the dense brute force
(V_k = E^T K_k E for every k, all (l, m)) used as the reference. Backends: 'numba' (kernels in
``_three_phonon_numba``: K_c blocks and the fused window epilogue) or 'numpy' (same numbers); worker
threads each take one batch with single-threaded BLAS (threads sharing BLAS's own threads on small
GEMMs were 8x slower on a loaded 2-core machine). Measured numbers: README and
``benchmarks/three_phonon.py``.

Degenerate modes (crystals): Gamma_k of a single mode inside a degenerate subspace depends on the
basis chosen there by ``eigh`` (THREE_PHONON_NOTES §4); sums over a subspace do not. MD lifetimes
projected on the same eigenvectors refer to the same basis.
"""
from __future__ import annotations

import math
import os
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from .harmonic import (DEFAULT_CUTOFF_SIGMAS, DEFAULT_WIDTH, broadening, gaussian_delta, kept_weight,
                       level_spacing)
from .hessian import PairData, pair_data

BACKENDS = ("auto", "numba", "numpy")


# ----------------------------------------------------------------------------------------------
# third derivatives of the pair potential
def third_order_coefficients(pd_: PairData, model):
    """Per pair ``(A, B)``: B = U''/r - U'/r^2, A = U''' - 3 B (module docstring)."""
    r = pd_.r
    d1, d2, d3 = (model.derivative(k, r, pd_.p) for k in (1, 2, 3))
    b = d2 / r - d1 / r**2
    a = d3 - 3.0 * b
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("non-finite third derivative of the pair potential (overlapping atoms?)")
    return a, b


def _pair_differences(pd_: PairData, vectors, dim: int):
    """a_p = e_j - e_i for every pair and every column of ``vectors`` (DN, k): shape (P, D, k)."""
    e3 = vectors.reshape(-1, dim, vectors.shape[1])
    return e3[pd_.j] - e3[pd_.i]


def _pair_blocks(pd_: PairData, a_coef, b_coef, diff):
    """T_p(a) = A s n n^T + B (a n^T + n a^T + s I), s = n.a, for diff (P, D, k): shape (P, k, D, D)."""
    n = pd_.n
    dim = n.shape[1]
    s = np.einsum("pd,pdk->pk", n, diff)
    an = diff.transpose(0, 2, 1)[:, :, :, None] * n[:, None, None, :]          # a n^T  (P, k, D, D)
    t = (a_coef[:, None] * s)[:, :, None, None] * (n[:, None, :, None] * n[:, None, None, :])
    t += b_coef[:, None, None, None] * (an + an.transpose(0, 1, 3, 2))
    t += (b_coef[:, None] * s)[:, :, None, None] * np.eye(dim)[None, None]
    return t


def _bsr_from_pair_blocks(pd_: PairData, blocks, n_atoms: int) -> sp.bsr_matrix:
    """Symmetric BSR matrix with off-diagonal blocks -blocks[p] at (i, j), (j, i) and diagonal
    blocks sum_p blocks[p] (the pattern and sign structure of ``analysis.hessian.hessian``)."""
    dim = blocks.shape[-1]
    flat = blocks.reshape(len(blocks), dim * dim)
    inc = sp.csr_matrix((np.ones(2 * len(pd_.i)), (np.concatenate([pd_.i, pd_.j]),
                                                   np.tile(np.arange(len(pd_.i)), 2))),
                        shape=(n_atoms, len(pd_.i)))
    diag = np.asarray(inc @ flat).reshape(n_atoms, dim, dim)
    rows = np.concatenate([pd_.i, pd_.j, np.arange(n_atoms)])
    cols = np.concatenate([pd_.j, pd_.i, np.arange(n_atoms)])
    data = np.concatenate([-blocks, -blocks.transpose(0, 2, 1), diag])
    order = np.lexsort((cols, rows))
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_atoms))])
    return sp.bsr_matrix((data[order], cols[order], indptr), shape=(dim * n_atoms, dim * n_atoms))


def hessian_derivative(frame, model, u) -> sp.bsr_matrix:
    """K_u = dH(x + eps u)/d eps at eps = 0 (DN x DN BSR on the Hessian's pattern) for a displacement
    direction ``u`` ((DN,) or (N, D)); K_{e_k} = dH/dq_k. Its quadratic form e_l^T K_u e_m is the
    third-order tensor contracted with u (module docstring)."""
    if not model.is_pair:
        raise NotImplementedError(f"{model.name}: third derivatives are implemented for pair models only")
    pd_ = pair_data(frame, model)
    a_coef, b_coef = third_order_coefficients(pd_, model)
    u = np.asarray(u, dtype=float).reshape(-1, 1)
    blocks = _pair_blocks(pd_, a_coef, b_coef, _pair_differences(pd_, u, frame.dim))[:, 0]
    return _bsr_from_pair_blocks(pd_, blocks, frame.n)


def vertex(frame, model, vectors, k, l, m):
    """V_klm = sum_p T_p(a_k, a_l, a_m) directly from the pair formula for index arrays k, l, m
    (broadcast) of the columns of ``vectors``; a check of the K-matrix route."""
    pd_ = pair_data(frame, model)
    a_coef, b_coef = third_order_coefficients(pd_, model)
    k, l, m = np.broadcast_arrays(np.atleast_1d(k), np.atleast_1d(l), np.atleast_1d(m))
    cols = np.unique(np.concatenate([k, l, m]))
    d = _pair_differences(pd_, np.asarray(vectors)[:, cols], frame.dim)
    pos = {c: i for i, c in enumerate(cols)}
    ka, la, ma = ([pos[x] for x in arr] for arr in (k, l, m))
    s = np.einsum("pd,pdk->pk", pd_.n, d)
    dot = lambda x, y: np.einsum("pdq,pdq->pq", d[:, :, x], d[:, :, y])  # noqa: E731
    t = (a_coef[:, None] * s[:, ka] * s[:, la] * s[:, ma]
         + b_coef[:, None] * (dot(ka, la) * s[:, ma] + dot(ka, ma) * s[:, la] + dot(la, ma) * s[:, ka]))
    return t.sum(axis=0)


# ----------------------------------------------------------------------------------------------
# shared pieces
def _check_modes(frame, omega, vectors):
    omega = np.asarray(omega, dtype=float)
    vectors = np.asarray(vectors, dtype=float)
    ndof = frame.n * frame.dim
    if omega.ndim != 1 or vectors.shape != (ndof, len(omega)):
        raise ValueError(f"omega must be (k,) and vectors (DN = {ndof}, k); got {omega.shape}, {vectors.shape}")
    if not np.all(omega > 0):
        raise ValueError("omega must be > 0 (translations removed: use harmonic.normal_modes)")
    if np.any(np.diff(omega) < 0):
        raise ValueError("omega must be sorted ascending (as harmonic.normal_modes returns it)")
    return omega, vectors


def _check_t(T):
    if not (np.isfinite(T) and T > 0):
        raise ValueError(f"T must be a finite temperature > 0, got {T!r}")
    return float(T)


def _table(omega, g_split, g_comb, T, sigma, cutoff_sigmas, modes, extra):
    width = sigma / level_spacing(omega)
    pref = math.pi * T / 4.0
    split, comb = pref * g_split, pref * g_comb
    gamma = split + comb
    with np.errstate(divide="ignore"):
        tau = 1.0 / gamma
    df = pd.DataFrame({"mode": modes, "omega": omega[modes], "gamma": gamma, "gamma_split": split,
                       "gamma_combine": comb, "tau": tau})
    df.attrs.update({"T": T, "width_level_spacings": width, "level_spacing": level_spacing(omega),
                     "sigma": sigma, "cutoff_sigmas": cutoff_sigmas, "window": cutoff_sigmas * sigma,
                     "kept_weight": kept_weight(cutoff_sigmas), "delta": "Gaussian, truncated and renormalised",
                     "units": "omega, gamma in (eps/(m sigma^2))^1/2; tau in (m sigma^2/eps)^1/2; T in eps/k_B",
                     "formula": "P3 Eq. (13), classical", **extra})
    return df


def _select(modes, n):
    if modes is None:
        return np.arange(n)
    modes = np.unique(np.asarray(modes, dtype=int))
    if modes.size == 0 or modes.min() < 0 or modes.max() >= n:
        raise ValueError(f"modes must be indices in 0..{n - 1}")
    return modes


# ----------------------------------------------------------------------------------------------
# dense brute force (reference)
def linewidths_dense(frame, model, omega, vectors, T, *, width: float = DEFAULT_WIDTH,
                     cutoff_sigmas: float = DEFAULT_CUTOFF_SIGMAS, modes=None,
                     sigma: float | None = None) -> pd.DataFrame:
    """Gamma_k by brute force: V_k = E^T K_k E (all (l, m)) for every requested k, then the sums of the
    module docstring over all ordered pairs. O(n) sparse-dense products and n^3 GEMMs per mode: a
    reference for tests and the benchmark (N <= 256). Same output as ``linewidths``."""
    omega, vectors = _check_modes(frame, omega, vectors)
    T = _check_t(T)
    sigma, _ = broadening(omega, width, cutoff_sigmas, sigma)
    sel = _select(modes, len(omega))
    pd_ = pair_data(frame, model)
    a_coef, b_coef = third_order_coefficients(pd_, model)
    w2 = omega**2
    inv = 1.0 / (w2[:, None] * w2[None, :])
    g_split, g_comb = np.zeros(len(sel)), np.zeros(len(sel))
    t0 = time.perf_counter()
    with threadpool_limits(limits=1, user_api="blas"):   # small GEMMs: threads only contend
        for out, k in enumerate(sel):
            blocks = _pair_blocks(pd_, a_coef, b_coef, _pair_differences(pd_, vectors[:, [k]], frame.dim))[:, 0]
            v = vectors.T @ (_bsr_from_pair_blocks(pd_, blocks, frame.n).tocsr() @ vectors)
            q = v * v * inv
            d_split = gaussian_delta(omega[k] - omega[:, None] - omega[None, :], sigma, cutoff_sigmas)
            d_comb = gaussian_delta(omega[k] + omega[:, None] - omega[None, :], sigma, cutoff_sigmas)
            g_split[out] = 0.5 * np.sum(q * d_split)
            g_comb[out] = np.sum(q * d_comb)
    return _table(omega, g_split, g_comb, T, sigma, cutoff_sigmas, sel,
                  {"method": "dense brute force", "seconds": time.perf_counter() - t0})


# ----------------------------------------------------------------------------------------------
# windowed algorithm
class _Stencil:
    """Each atom with its neighbours (slot 0: the atom itself), atoms grouped by degree so that one
    padded batched GEMM per group forms the rows of Y = K_c E of its atoms for a batch of modes c.
    Per slot: the neighbour, n = (r_nbr - r_atom)/r and the pair's A, B (0 on padding slots)."""

    def __init__(self, pd_: PairData, a_coef, b_coef, n_atoms: int, group: int = 64):
        npair = len(pd_.i)
        ends = np.concatenate([pd_.i, pd_.j])
        others = np.concatenate([pd_.j, pd_.i])
        sign = np.concatenate([np.ones(npair), -np.ones(npair)])
        pid = np.tile(np.arange(npair), 2)
        order = np.argsort(ends, kind="stable")
        others, pid, sign = others[order], pid[order], sign[order]
        deg = np.bincount(ends, minlength=n_atoms)
        start = np.concatenate([[0], np.cumsum(deg)])
        self.groups = []
        by_deg = np.argsort(deg, kind="stable")
        for g0 in range(0, n_atoms, group):
            atoms = by_deg[g0:g0 + group]
            s = int(deg[atoms].max(initial=0))
            nbr = np.repeat(atoms[:, None], s + 1, axis=1)          # padding: the atom itself ...
            n = np.zeros((len(atoms), s, pd_.n.shape[1]))
            a, b = np.zeros((len(atoms), s)), np.zeros((len(atoms), s))   # ... with A = B = 0
            for r, at in enumerate(atoms):
                d, sl = deg[at], slice(start[at], start[at] + deg[at])
                nbr[r, 1:d + 1] = others[sl]
                n[r, :d] = sign[sl, None] * pd_.n[pid[sl]]
                a[r, :d], b[r, :d] = a_coef[pid[sl]], b_coef[pid[sl]]
            self.groups.append((atoms, nbr, n, a, b))

    def k_blocks(self, ec, kernels=None):
        """Per group the matrices (na, nb D, S D) of the K_c rows of its atoms for the modes
        ec = E[:, :, batch] (N, D, nb): off-diagonal -T(a), a = e_nbr - e_atom, diagonal sum T(a)."""
        nb, dim = ec.shape[2], ec.shape[1]
        out = []
        for atoms, nbr, n, a_coef, b_coef in self.groups:
            na, s1 = nbr.shape
            if kernels is not None:
                t = np.empty((na, nb, dim, s1, dim))
                kernels.k_group(ec, atoms, nbr, n, a_coef, b_coef, t)
                out.append(t.reshape(na, nb * dim, s1 * dim))
                continue
            a = (ec[nbr[:, 1:]] - ec[atoms][:, None]).transpose(0, 3, 1, 2)  # (na, nb, S, D)
            s = np.einsum("isd,icsd->ics", n, a)
            t = np.empty((na, nb, dim, s1, dim))
            off = t[:, :, :, 1:, :]
            # -T = -(A s n_x n_y + B (a_x n_y + n_x a_y + s delta_xy)), layout (i, c, x, slot, y)
            asn = (a_coef[:, None] * s)[:, :, :, None] * n[:, None]          # A s n, (na, nb, S, D)
            bn = b_coef[:, :, None] * n                                      # B n, (na, S, D)
            off[...] = -(np.einsum("icsx,isy->icxsy", asn, n) + np.einsum("icsx,isy->icxsy", a, bn)
                         + np.einsum("isx,icsy->icxsy", bn, a))
            bs = -(b_coef[:, None] * s)
            for x in range(dim):
                off[:, :, x, :, x] += bs
            t[:, :, :, 0, :] = -off.sum(axis=3)
            out.append(t.reshape(na, nb * dim, s1 * dim))
        return out

    def apply(self, kmats, e3cols):
        """Y (nb, N D, ncol) = K_c E_cols for each c of the batch; e3cols (N, D, ncol)."""
        n_atoms, dim, ncol = e3cols.shape
        nb = kmats[0].shape[1] // dim
        y = np.empty((nb, n_atoms, dim, ncol))
        for (atoms, nbr, *_), k in zip(self.groups, kmats):
            g = e3cols[nbr].reshape(len(atoms), -1, ncol)
            y[:, atoms] = np.matmul(k, g).reshape(len(atoms), nb, dim, ncol).transpose(1, 0, 2, 3)
        return y.reshape(nb, n_atoms * dim, ncol)


class _Window:
    """Accumulates the Gamma sums (without pi T / 4) from blocks V = E_O^T Y_c (module docstring)."""

    def __init__(self, omega, sigma, cutoff_sigmas, et, kernels=None):
        self.omega, self.sigma, self.c, self.kernels = omega, sigma, cutoff_sigmas, kernels
        self.norm = 1.0 / (math.sqrt(2.0 * math.pi) * sigma * kept_weight(cutoff_sigmas))
        self.w = cutoff_sigmas * sigma
        self.inv2 = 1.0 / omega**2
        self.et = et                                   # E^T, rows contiguous
        self.split = np.zeros(len(omega))
        self.comb = np.zeros(len(omega))
        self.blocks = 0

    def _interval(self, lo_value, hi_value):
        om = self.omega
        return int(np.searchsorted(om, lo_value, side="right")), int(np.searchsorted(om, hi_value, side="left"))

    def triples(self, c, y, y0, ylo, yhi, side, bw, scatter_all=True):
        """Triples (c; a <= b) with Y_c = y on columns y0.. (``side`` 'b' or 'a' of the triple),
        for Y columns in [ylo, yhi). ``scatter_all=False`` adds only to Gamma_c."""
        om, w, oc = self.omega, self.w, self.omega[c]
        for s0 in range(ylo, yhi, bw):
            s1 = min(s0 + bw, yhi)
            o0, o1 = self._interval(oc - w - om[s1 - 1], oc + w - om[s0])
            if side == "b":
                o1 = min(o1, s1)                       # a <= b
            else:
                o0 = max(o0, s0)
            if o1 <= o0:
                continue
            v = self.et[o0:o1] @ y[:, s0 - y0:s1 - y0]   # V[o, s]
            self.blocks += 1
            if self.kernels is not None:
                a0, b0 = (o0, s0) if side == "b" else (s0, o0)
                self.kernels.triple_epilogue(c, a0, b0, v, side == "b", om, self.inv2, self.sigma, w, self.norm,
                                             self.split, self.comb, scatter_all)
                continue
            if side == "b":
                ia, ib, v = np.arange(o0, o1), np.arange(s0, s1), v
            else:
                ia, ib, v = np.arange(s0, s1), np.arange(o0, o1), v.T
            self._triple_epilogue(c, ia, ib, v, scatter_all)

    def _triple_epilogue(self, c, ia, ib, v, scatter_all):
        om, inv2 = self.omega, self.inv2
        g = gaussian_delta(om[c] - om[ia][:, None] - om[ib][None, :], self.sigma, self.c) * v * v
        g *= ia[:, None] <= ib[None, :]
        same = ia[:, None] == ib[None, :]
        self.split[c] += np.sum(g * np.where(same, 0.5, 1.0) * inv2[ia][:, None] * inv2[ib][None, :])
        if scatter_all:
            self.comb[ia[0]:ia[-1] + 1] += (g @ inv2[ib]) * inv2[c]
            self.comb[ib[0]:ib[-1] + 1] += (inv2[ia] @ np.where(same, 0.0, g)) * inv2[c]

    def combine(self, k, y, y0, ylo, yhi, bw):
        """Gamma_k's combine sum over (l, m) with Y_k = y on the l columns y0.. in [ylo, yhi)."""
        om, w, ok, inv2 = self.omega, self.w, self.omega[k], self.inv2
        for s0 in range(ylo, yhi, bw):
            s1 = min(s0 + bw, yhi)
            o0, o1 = self._interval(ok + om[s0] - w, ok + om[s1 - 1] + w)
            if o1 <= o0:
                continue
            v = self.et[o0:o1] @ y[:, s0 - y0:s1 - y0]   # V[m, l]
            self.blocks += 1
            if self.kernels is not None:
                self.kernels.combine_epilogue(k, o0, s0, v, om, inv2, self.sigma, w, self.norm, self.comb)
                continue
            im, il = np.arange(o0, o1), np.arange(s0, s1)
            g = gaussian_delta(ok + om[il][None, :] - om[im][:, None], self.sigma, self.c) * v * v
            self.comb[k] += inv2[im] @ g @ inv2[il]


def _kernels(backend: str):
    """The numba kernels module for backend 'numba' (or 'auto' when numba imports), else None."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    if backend == "numpy":
        return None
    try:
        from . import _three_phonon_numba
    except ImportError:
        if backend == "numba":
            raise
        return None
    return _three_phonon_numba


def _default_threads() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def linewidths(frame, model, omega, vectors, T, *, width: float = DEFAULT_WIDTH,
               cutoff_sigmas: float = DEFAULT_CUTOFF_SIGMAS, modes=None, backend: str = "auto",
               threads: int | None = None, batch: int = 32, memory_mb: float = 256.0,
               sigma: float | None = None) -> pd.DataFrame:
    """Classical three-phonon linewidths Gamma_k (P3 Eq. 13) of the modes ``(omega, vectors)``
    (``harmonic.normal_modes``: omega ascending, > 0; vectors (DN, k) unit columns) of the inherent
    structure ``frame`` at temperature ``T`` (k_B = 1).

    ``width``: std of the Gaussian delta in mean level spacings omega_max / k (default 5);
    ``sigma``: the absolute std instead (units of omega; ``harmonic.broadening`` says when to use
    which: a small crystal needs sigma on the plateau of Gamma(sigma));
    ``cutoff_sigmas``: truncation in std (default 3, keeps erf(3/sqrt 2) = 99.73 % of the weight,
    renormalised); ``modes``: indices of the modes to compute (default all; e.g. a frequency band),
    the l, m sums always run over all modes given. Fewer than a third of the modes are computed mode
    by mode (split and combine windows of each k); otherwise all modes by resonant triples (cheaper
    per mode) and the requested rows returned. ``backend``: 'auto' | 'numpy'. ``threads``:
    worker threads, each on its own batch of modes with single-threaded BLAS (default: the CPUs this
    process may use); ``batch``: modes c per batch; ``memory_mb``: budget for one batch of Y per
    thread (columns are processed in chunks). The result does not depend on threads, batch or
    memory_mb beyond floating-point summation order.

    Returns a DataFrame, one row per mode: mode (column index), omega, gamma, gamma_split,
    gamma_combine, tau = 1/gamma; ``attrs``: T, width (level spacings and absolute sigma), cutoff,
    kept weight, units, timing. See the module docstring for the formula and the algorithm."""
    omega, vectors = _check_modes(frame, omega, vectors)
    T = _check_t(T)
    kernels = _kernels(backend)
    if not model.is_pair:
        raise NotImplementedError(f"{model.name}: third derivatives are implemented for pair models only")
    threads = _default_threads() if threads is None else int(threads)
    if threads < 1 or batch < 1 or not memory_mb > 0:
        raise ValueError(f"need threads >= 1, batch >= 1, memory_mb > 0; got {threads}, {batch}, {memory_mb}")
    sigma, w = broadening(omega, width, cutoff_sigmas, sigma)
    n, dim, n_atoms = len(omega), frame.dim, frame.n
    sel = _select(modes, n)
    t0 = time.perf_counter()
    pd_ = pair_data(frame, model)
    stencil = _Stencil(pd_, *third_order_coefficients(pd_, model), n_atoms)
    et = np.ascontiguousarray(vectors.T)
    e3 = vectors.reshape(n_atoms, dim, n)
    om, bw = omega, 32
    per_mode = 3 * len(sel) < n          # fewer than a third of the modes: per-mode windows

    def run(cs):
        clock = time.perf_counter
        win = _Window(omega, sigma, cutoff_sigmas, et, kernels)
        t1 = clock()
        kmats = stencil.k_blocks(np.ascontiguousarray(e3[:, :, cs]), kernels)
        times = {"k_blocks": clock() - t1, "y": 0.0, "window": 0.0}
        lo_b = np.searchsorted(om, 0.5 * (om[cs] - w), side="right")       # b side of (c; a <= b)
        hi_b = np.searchsorted(om, om[cs] + w - om[0], side="left")
        lo_a = np.searchsorted(om, om[cs] - w - om[-1], side="right")       # a side
        hi_a = np.searchsorted(om, 0.5 * (om[cs] + w), side="left")
        if not per_mode:
            side = "b" if np.sum(hi_b - lo_b) <= np.sum(hi_a - lo_a) else "a"
            lo, hi = (lo_b, hi_b) if side == "b" else (lo_a, hi_a)
            ylo, yhi = int(lo.min()), int(hi.max())
        else:
            side, lo, hi = "b", lo_b, hi_b
            hi_l = np.searchsorted(om, om[-1] - om[cs] + w, side="left")    # l side of combine
            ylo, yhi = 0, int(max(hi.max(), hi_l.max()))
        ncol = max(bw, int(memory_mb * 2**20 / (8 * len(cs) * n_atoms * dim)) // bw * bw)
        for y0 in range(ylo, yhi, ncol):
            y1 = min(y0 + ncol, yhi)
            t1 = clock()
            y = stencil.apply(kmats, np.ascontiguousarray(e3[:, :, y0:y1]))
            t2 = clock()
            times["y"] += t2 - t1
            for r, c in enumerate(cs):
                a, b = max(y0, lo[r]), min(y1, hi[r])
                if b > a:
                    win.triples(c, y[r], y0, a, b, side, bw, scatter_all=not per_mode)
                if per_mode and min(y1, hi_l[r]) > y0:
                    win.combine(c, y[r], y0, y0, min(y1, hi_l[r]), bw)
            times["window"] += clock() - t2
        return win.split, win.comb, win.blocks, times

    todo = sel if per_mode else np.arange(n)
    batches = [todo[s:s + batch] for s in range(0, len(todo), batch)]
    with threadpool_limits(limits=1, user_api="blas"):
        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(run, batches))
    g_split = np.sum([r[0] for r in results], axis=0)
    g_comb = np.sum([r[1] for r in results], axis=0)
    extra = {"method": "windowed per mode" if per_mode else "windowed triples", "backend": "numpy" if kernels is None else "numba",
             "threads": threads, "batch": batch, "seconds": time.perf_counter() - t0,
             "window_blocks": int(sum(r[2] for r in results)),
             **{f"cpu_seconds_{k}": float(sum(r[3][k] for r in results)) for k in ("k_blocks", "y", "window")}}
    return _table(omega, g_split[sel], g_comb[sel], T, sigma, cutoff_sigmas, sel, extra)


__all__ = ["hessian_derivative", "linewidths", "linewidths_dense", "third_order_coefficients", "vertex"]
