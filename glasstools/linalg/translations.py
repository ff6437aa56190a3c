"""The D uniform translations of a periodic system and linear algebra on their complement.

A periodic Hessian H (DN x DN, particle-major: x, y, z of atom 0, ...) is invariant under uniform
translations: H T = 0 for the orthonormal basis T = (1/sqrt N) 1_N (x) I_D (``translation_basis``),
and T^T H = 0 by symmetry. So H maps everything into T^perp and the D translations are exact zero
modes; ``H x = b`` is solvable only for b in T^perp and x is defined only up to a translation.

``solve_translation_free`` returns the solution on the complement, x = (H|_{T^perp})^-1 P b with
P = I - T T^T, i.e. the pseudo-inverse H^+ b when H has no other zero mode. Derivation (grounding):
let S embed the first D(N-1) coordinates (the last particle held fixed), H_g = S^T H S (H without
the last particle's D rows and columns, still sparse). Every x in R^DN is x' + T c with x' in
range(S) (subtract the last particle's displacement from every particle), and H T = 0, so
H x = H x'. The last particle's D equations are minus the sum of the others (T^T H = 0, and
T^T P b = 0), so H x' = P b reduces to H_g y = S^T P b, x' = S y, and x = P x' (the translation
that makes x orthogonal to T). H_g is nonsingular exactly when H has no zero mode on T^perp, and
by Sylvester's law it has the inertia of H on T^perp (its quadratic form is H's on a complement
of the null directions T). Compared with factorising H + alpha T T^T (dense, rank-D update) or
H + epsilon I (a biased answer), grounding is exact and keeps the sparsity; one factorisation
serves any number of right-hand sides (``factor_translation_free(...).solve(B)`` for a block B),
with ``refine`` steps of iterative refinement against the double-precision H_g.

The dense INM path uses the equivalent Householder map (``deflate_translations``).
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def translation_basis(n: int, dim: int) -> np.ndarray:
    """Orthonormal (DN, D) basis of uniform translations (particle-major, component fastest)."""
    return np.kron(np.ones((n, 1)) / np.sqrt(n), np.eye(dim))


def project_out_translations(x, dim: int) -> np.ndarray:
    """P x = x - T T^T x for a vector (DN,) or block (DN, k): the mean displacement removed."""
    x = np.asarray(x, dtype=float)
    n = x.shape[0] // dim
    per = x.reshape(n, dim, *x.shape[1:])
    return (per - per.mean(axis=0)).reshape(x.shape)


def _reflector(n: int, dim: int) -> np.ndarray:
    """V (DN, D) of the reflector W = I - 2 V V^T sending translation a to coordinate D(N-1)+a."""
    v = np.full(n, 1.0 / np.sqrt(n))
    v[-1] -= 1.0
    v /= np.linalg.norm(v)
    return np.kron(v[:, None], np.eye(dim))


def deflate_translations(m, dim: int):
    """Return (W M W with the last D rows/cols removed, V): M on the translation complement, dense.

    The Householder reflector W = I - 2 V V^T, V = (v/|v|) (x) I_D, v = 1_N/sqrt N - e_N, maps the
    translations onto the last particle's D coordinates; since M T = 0, W M W has those D rows and
    columns zero and the rest is M restricted to the complement (an orthonormal basis of it)."""
    a = np.asarray(m.toarray() if sp.issparse(m) else m, dtype=float)
    n = a.shape[0] // dim
    v = _reflector(n, dim)
    av = a @ v
    b = a - 2.0 * v @ av.T - 2.0 * av @ v.T + 4.0 * v @ (v.T @ av) @ v.T
    k = dim * (n - 1)
    return b[:k, :k], v


def check_translation_invariant(h, dim: int, rtol: float = 1e-8) -> None:
    """Raise ValueError unless |H T| <= rtol * g (g = max_i sum_j |H_ij|): a periodic Hessian."""
    if h.shape[0] != h.shape[1] or h.shape[0] % dim:
        raise ValueError(f"H must be square with a size that is a multiple of dim={dim}, got {h.shape}")
    g = float(np.max(np.asarray(abs(h).sum(axis=1))))
    ht = np.asarray(h @ translation_basis(h.shape[0] // dim, dim))
    if np.abs(ht).max() > rtol * g:
        raise ValueError(f"H is not translation invariant (max |H T| = {np.abs(ht).max():.3g} > {rtol:g} g, "
                         f"g = {g:.3g}): translation-free solves need the Hessian of a periodic system")


class TranslationFreeFactorisation:
    """One factorisation of the grounded H_g (see the module docstring) for many solves of H x = b on
    the complement of the translations. ``inertia()`` is H's on T^perp (D(N-1) eigenvalues)."""

    def __init__(self, h, dim: int, kind: str = "ldl", precision: str = "double", backend: str | None = None,
                 refine: int = 2):
        from .factor import factor

        check_translation_invariant(h, dim)
        self.dim, self.refine = dim, int(refine)
        self._k = h.shape[0] - dim
        self._hg = sp.csr_matrix(h)[: self._k, : self._k]
        self.factor = factor(self._hg, 0.0, kind, precision, backend)

    def solve(self, b) -> np.ndarray:
        """x = (H|_{T^perp})^-1 P b for b (DN,) or a block (DN, k); x is orthogonal to the translations."""
        pb = project_out_translations(b, self.dim)
        r = pb[: self._k]
        y = self.factor.solve(r)
        norm = np.inf
        for _ in range(self.refine):  # iterative refinement against the double-precision H_g
            res = r - self._hg @ y
            new = float(np.linalg.norm(res))
            if not new < norm or new == 0.0:
                break
            norm = new
            y = y + self.factor.solve(res)
        x = np.zeros_like(pb)
        x[: self._k] = y
        return project_out_translations(x, self.dim)

    def inertia(self):
        return self.factor.inertia()

    def free(self) -> None:
        self.factor.free()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.free()


def factor_translation_free(h, dim: int, kind: str = "ldl", precision: str = "double",
                            backend: str | None = None, refine: int = 2) -> TranslationFreeFactorisation:
    """Factorise the periodic Hessian H on the complement of its D translations (grounding; see the
    module docstring). ``kind='cholesky'`` when H is known stable on T^perp (an inherent structure):
    it raises ``NotPositiveDefinite`` otherwise."""
    return TranslationFreeFactorisation(h, dim, kind, precision, backend, refine)


def solve_translation_free(h, b, dim: int, kind: str = "ldl", precision: str = "double",
                           backend: str | None = None, refine: int = 2) -> np.ndarray:
    """x = H^+ b on the complement of the translations, for b (DN,) or a block (DN, k) (one
    factorisation for the whole block). For many later right-hand sides keep
    ``factor_translation_free`` instead."""
    with factor_translation_free(h, dim, kind, precision, backend, refine) as f:
        return f.solve(b)
