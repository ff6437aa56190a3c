"""Sparse symmetric factorisations of M - shift I: one object with ``solve``, ``inertia``, ``free``.

``factor(M, shift, kind, precision, backend)`` analyses the sparsity pattern once (fill-reducing
ordering) and factorises M - shift I; ``refactor(shift)`` reuses the analysis for a new shift.

kind
  ``'ldl'``: symmetric-indefinite P^T (M - s I) P = L D L^T. By Sylvester's law of inertia D is
  congruent to M - s I, so its signs count the eigenvalues of M below / at / above s: ``inertia()``.
  ``'cholesky'``: M - s I = L L^T; raises ``NotPositiveDefinite`` unless M - s I > 0, so a
  successful factorisation certifies that no eigenvalue lies below s (``inertia()`` = (0, 0, n)).
precision
  ``'double'`` or ``'single'`` (float32 factor: half the memory and flops; solves accurate to
  ~1e-5 relative, enough for a preconditioner). ``solve`` always returns float64.
backend
  ``'pardiso'``: MKL Pardiso through pypardiso's MKL (optional extra ``glasstools[pardiso]``;
  mtype -2 with Bunch-Kaufman pivots, iparm(22)/(23) inertia, iparm(14) perturbed pivots; mtype 2
  Cholesky, error -4 when not positive definite; METIS nested dissection).
  ``'superlu'``: scipy's SuperLU ``splu`` with ``SymmetricMode``, a symmetric ordering
  (MMD on A^T + A) and ``diag_pivot_thresh=0``, i.e. diagonal pivots: L U with U = D L^T, so
  D = diag(U) gives the same inertia (available when SuperLU kept every diagonal pivot,
  perm_r = perm_c); exact, but far slower and larger than Pardiso at large N.
  ``'auto'`` (default): Pardiso when pypardiso and MKL load, SuperLU otherwise. The environment
  variable ``GLASSTOOLS_SPARSE_BACKEND`` (auto | pardiso | superlu) sets the default, e.g. to force
  the fallback on a machine that has MKL.
"""
from __future__ import annotations

import functools
import os
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

KINDS = ("ldl", "cholesky")
PRECISIONS = ("double", "single")
BACKENDS = ("auto", "pardiso", "superlu")
BACKEND_ENV = "GLASSTOOLS_SPARSE_BACKEND"


class NotPositiveDefinite(np.linalg.LinAlgError):
    """A Cholesky factorisation met a non-positive pivot: M - shift I is not positive definite."""


class Inertia(NamedTuple):
    """Numbers of eigenvalues of M below, at and above the shift (sum = n)."""

    negative: int
    zero: int
    positive: int


def have_pardiso() -> bool:
    """Whether pypardiso and its MKL library can be loaded."""
    try:
        import pypardiso  # noqa: F401
        return True
    except (ImportError, OSError):
        return False


def resolve_backend(backend: str | None = None) -> str:
    """'pardiso' or 'superlu' for ``backend`` (None: $GLASSTOOLS_SPARSE_BACKEND, default 'auto')."""
    name = os.environ.get(BACKEND_ENV, "auto") if backend is None else backend
    if name not in BACKENDS:
        src = f"${BACKEND_ENV}" if backend is None else "backend"
        raise ValueError(f"{src} must be one of {', '.join(BACKENDS)}, got {name!r}")
    if name == "auto":
        return "pardiso" if have_pardiso() else "superlu"
    if name == "pardiso" and not have_pardiso():
        raise ImportError("backend='pardiso' needs pypardiso with MKL: pip install 'glasstools[pardiso]'")
    return name


class Factorisation:
    """Factorisation of M - shift I (sparse symmetric M, n x n); see the module docstring.

    ``shift`` is None until ``refactor`` succeeded. Use as a context manager or call ``free()``
    to release the factor's memory (Pardiso holds it outside Python).
    """

    backend = ""

    def __init__(self, m, kind: str, precision: str):
        self.n, self.kind, self.precision = m.shape[0], kind, precision
        self.dtype = np.float32 if precision == "single" else np.float64
        self.shift = None

    def refactor(self, shift: float) -> "Factorisation":
        """Factorise M - shift I (reusing the ordering); raises NotPositiveDefinite for a failed Cholesky."""
        raise NotImplementedError

    def solve(self, b) -> np.ndarray:
        """x = (M - shift I)^-1 b for b of shape (n,) or (n, k) (one call for a block), in float64."""
        raise NotImplementedError

    def inertia(self) -> Inertia:
        """Inertia of M - shift I; raises LinAlgError where the factor does not give it exactly."""
        raise NotImplementedError

    def stats(self) -> dict:
        return {}

    def free(self) -> None:
        pass

    def _check_factored(self):
        if self.shift is None:
            raise RuntimeError("factorisation not computed: call refactor(shift) first")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.free()


class _SuperLU(Factorisation):
    backend = "superlu"

    def __init__(self, m, kind, precision):
        super().__init__(m, kind, precision)
        self._m = sp.csc_matrix(m, dtype=self.dtype)
        self._eye = sp.identity(self.n, dtype=self.dtype, format="csc")
        self._lu = None

    def refactor(self, shift):
        self.shift, self._lu = None, None
        try:
            lu = spla.splu(self._m - self.dtype(shift) * self._eye, permc_spec="MMD_AT_PLUS_A",
                           diag_pivot_thresh=0.0, options=dict(SymmetricMode=True))
        except RuntimeError as err:  # "Factor is exactly singular"
            if self.kind == "cholesky":
                raise NotPositiveDefinite(f"M - shift I is singular (SuperLU: {err})") from err
            raise np.linalg.LinAlgError(f"SuperLU: {err}") from err
        self._lu, self.shift = lu, float(shift)
        if self.kind == "cholesky":
            diagonal = np.array_equal(lu.perm_r, lu.perm_c)
            if not diagonal or np.any(lu.U.diagonal() <= 0):
                self._lu, self.shift = None, None
                raise NotPositiveDefinite("M - shift I is not positive definite (SuperLU pivot <= 0)")
        return self

    def solve(self, b):
        self._check_factored()
        return np.asarray(self._lu.solve(np.asarray(b, dtype=self.dtype)), dtype=float)

    def inertia(self):
        self._check_factored()
        if self.kind == "cholesky":
            return Inertia(0, 0, self.n)
        if not np.array_equal(self._lu.perm_r, self._lu.perm_c):
            raise np.linalg.LinAlgError("SuperLU left the diagonal pivots (singular leading minor); "
                                        "inertia unavailable")
        d = self._lu.U.diagonal()
        neg, zero = int(np.count_nonzero(d < 0)), int(np.count_nonzero(d == 0))
        return Inertia(neg, zero, self.n - neg - zero)

    def stats(self):
        if self._lu is None:
            return {}
        return {"factor_nnz": int(self._lu.L.nnz + self._lu.U.nnz), "single": self.precision == "single"}

    def free(self):
        self._lu = None


@functools.lru_cache(maxsize=1)
def _mkl_pardiso():
    """MKL's ``pardiso`` entry point as pypardiso finds it (its library search takes ~0.7 s: once per process)."""
    from pypardiso import PyPardisoSolver

    return PyPardisoSolver(mtype=11).libmkl.pardiso


class _Pardiso(Factorisation):
    """MKL Pardiso via ctypes. One METIS nested-dissection analysis (phase 11) of the pattern of
    triu(M) + I is reused for every shift (phase 22, numeric only). mtype -2 (LDL^T) / 2 (Cholesky);
    iparm(28) = 1 for single precision. ``stats()``: factor nonzeros iparm(18), flops iparm(19),
    memory iparm(15)-(17)."""

    backend = "pardiso"

    def __init__(self, m, kind, precision):
        import ctypes

        super().__init__(m, kind, precision)
        c = ctypes
        self._c = c
        self.mtype = 2 if kind == "cholesky" else -2
        self._fn = _mkl_pardiso()
        p_i32 = c.POINTER(c.c_int32)
        self._fn.argtypes = [c.POINTER(c.c_int64), p_i32, p_i32, p_i32, p_i32, p_i32, c.c_void_p,
                             p_i32, p_i32, p_i32, p_i32, p_i32, p_i32, c.c_void_p, c.c_void_p, p_i32]
        self._fn.restype = None
        coo = sp.coo_matrix(m)
        up = coo.row <= coo.col
        n = self.n
        rows = np.concatenate([coo.row[up], np.arange(n)])
        cols = np.concatenate([coo.col[up], np.arange(n)])
        vals = np.concatenate([coo.data[up], np.zeros(n)])
        a = sp.csr_matrix((vals, (rows, cols)), shape=(n, n))  # duplicates summed, zeros kept
        a.sort_indices()
        self.indptr = a.indptr.astype(np.int32)
        self.indices = a.indices.astype(np.int32)
        self.data = np.ascontiguousarray(a.data, dtype=self.dtype)
        self._diag_pos = self.indptr[:-1]  # upper triangle, sorted: the diagonal comes first
        self._diag0 = a.data[self._diag_pos].copy()
        self.pt = np.zeros(64, dtype=np.int64)
        self.iparm = np.zeros(64, dtype=np.int32)
        single = precision == "single"
        params = {1: 1, 2: 2, 8: 0, 10: 13 if kind == "cholesky" else 8, 11: 0, 13: 0, 18: -1, 19: -1,
                  21: 1, 24: 0, 25: 0, 27: 0, 28: int(single), 35: 1}
        for k, v in params.items():
            self.iparm[k - 1] = v
        self.perm = np.zeros(n, dtype=np.int32)
        self._call(11, np.zeros(n, self.dtype))

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
            raise NotPositiveDefinite("M - shift I is not positive definite (Pardiso Cholesky error -4)")
        if err.value:
            raise np.linalg.LinAlgError(f"MKL Pardiso phase {phase} failed with error {err.value}")
        return x

    def refactor(self, shift):
        self.shift = None
        self.data[self._diag_pos] = self._diag0 - shift
        self._call(22, np.zeros(self.n, self.dtype))
        self.shift = float(shift)
        return self

    def solve(self, b):
        self._check_factored()
        return np.ascontiguousarray(self._call(33, b), dtype=float)

    def inertia(self):
        self._check_factored()
        if self.mtype == 2:
            return Inertia(0, 0, self.n)
        npos, nneg, nperturbed = int(self.iparm[21]), int(self.iparm[22]), int(self.iparm[13])
        if nperturbed or npos + nneg != self.n:
            raise np.linalg.LinAlgError(f"Pardiso perturbed {nperturbed} pivots (numerically singular "
                                        "M - shift I); inertia unavailable")
        return Inertia(nneg, 0, npos)

    def stats(self):
        ip = self.iparm
        return {"factor_nnz": int(ip[17]), "factor_gflop": float(ip[18]) / 1e3,
                "pardiso_peak_analysis_gb": float(ip[14]) / 2**20,
                "pardiso_factor_solve_gb": float(ip[15] + ip[16]) / 2**20, "single": bool(ip[27])}

    def free(self):
        if self.pt.any():
            self._call(-1, np.zeros(self.n, self.dtype))
            self.pt[:] = 0
        self.shift = None

    def __del__(self):
        try:
            self.free()
        except Exception:
            pass


def factor(m, shift: float | None = 0.0, kind: str = "ldl", precision: str = "double",
           backend: str | None = None) -> Factorisation:
    """Factorise M - shift I for sparse (or dense) symmetric M; see the module docstring.

    ``shift=None`` only analyses the pattern: call ``refactor(shift)`` before ``solve``.
    Raises ``NotPositiveDefinite`` for ``kind='cholesky'`` when M - shift I is not positive definite.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"M must be square, got shape {m.shape}")
    cls = _Pardiso if resolve_backend(backend) == "pardiso" else _SuperLU
    f = cls(sp.csr_matrix(m), kind, precision)
    if shift is not None:
        try:
            f.refactor(shift)
        except np.linalg.LinAlgError:
            f.free()
            raise
    return f


def count_below(m, sigma: float, max_tries: int = 5, reuse: Factorisation | None = None,
                backend: str | None = None) -> tuple[int, Factorisation]:
    """(#eigenvalues of sparse symmetric M below sigma, LDL^T factorisation of M - s I) by inertia.

    s = sigma unless the inertia was unavailable (a zero or perturbed pivot), in which case sigma is
    nudged down by 1e-6 |sigma| per retry. An existing double-precision ``'ldl'`` factorisation of M
    may be passed as ``reuse`` to reuse its ordering.
    """
    f = reuse if reuse is not None else factor(m, None, "ldl", "double", backend)
    for attempt in range(max_tries):
        s = sigma - 1e-6 * attempt * max(abs(sigma), 1e-12)
        try:
            return f.refactor(s).inertia().negative, f
        except np.linalg.LinAlgError:
            continue
    raise np.linalg.LinAlgError(f"{f.backend}: no exact inertia of M - sigma I near sigma = {sigma} "
                                f"after {max_tries} shifts (numerically singular)")
