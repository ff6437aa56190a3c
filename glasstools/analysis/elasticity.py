"""Linear response of an inherent structure: athermal shear modulus G and dipole stiffness kappa.

Source: Kapteijns, Richard, Bouchbinder, Schroder, Dyre, Lerner, J. Chem. Phys. 155, 074502 (2021)
(P4), App. A, Eqs. (A1)-(A4); SCIENCE_P3_P4 §2.4-2.5. M = d^2U/dx dx is the Hessian at the
inherent structure x_0 (unit masses); every M^-1 acts on the complement of the D global translations
(``glasstools.linalg.factor_translation_free``: one sparse factorisation of the grounded Hessian,
then any number of right-hand sides in blocks). ``hessian_factor`` makes that factorisation once;
``shear_modulus`` and ``dipole_stiffness`` take it as ``factor=`` so one IS costs one factorisation;
``inherent_response`` gives both from one build of the local terms and one factorisation.

(A1) athermal shear modulus, affine simple shear x_alpha -> x_alpha + gamma x_beta (plane "xy":
alpha = x, beta = y), at mechanical equilibrium (f = 0):

    G = (1/V) d^2U/dgamma^2 |_(f=0) = (1/V) [ dU^2/dgamma^2 - Xi . M^-1 . Xi ],   Xi = d^2U / dgamma dx,

the Born (affine) term minus the non-affine relaxation. The Born term and Xi come from the model's
local terms (``glasstools.analysis.local_terms``: pair and three-body terms alike). V is the box
volume (area in 2D). G includes the stress term of simple shear (for a pair potential
d^2U/dgamma^2 = sum_ij [phi'' (x y / r)^2 + phi' (y^2/r - x^2 y^2/r^3)], SCIENCE_P3_P4 §2.5).

(A2)-(A4) dipole stiffness of an interacting pair (i, j), r_ij = |x_j - x_i|:

    d_ij = (1/sqrt 2) d r_ij / dx          (-n/sqrt 2 on i, +n/sqrt 2 on j, n = (x_j - x_i)/r_ij; |d| = 1,
                                             zero net translation)
    z_ij = M^-1 d_ij
    kappa_ij = (d . M^-1 . d) / (d . M^-2 . d) = (d . z) / (z . z)   (M symmetric: d.M^-2.d = |z|^2),

so one solve per dipole gives both, and a block of dipoles is one block solve on the same factor.
"Interacting" means inside the model's pair cutoff (r_ij < r_c,ab; for a many-body model, inside its
interaction range ``max_cutoff``). ``random_dipoles`` draws pairs uniformly among the interacting
pairs, without replacement, seeded (P4 Sec. II: "randomly selected interacting pairs"; Table II).

Local stiffness (P4 Sec. IV, propensity): kappa_i = arithmetic mean of kappa_ij over the given
pairs that contain particle i (NaN where none does); with all interacting pairs
(``interacting_pairs``) it is defined for every particle with a neighbour.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from ..configuration import Frame
from ..geometry import minimum_image
from ..linalg import NotPositiveDefinite, TranslationFreeFactorisation, factor_translation_free
from . import local_terms as lt
from .hessian import hessian, pair_data
from .neighbours import pairs_within

#: dipoles solved per block (bounds the dense (DN, block) right-hand side and solution)
BLOCK = 256


class ShearTerms(NamedTuple):
    """Parts of Eq. (A1): Born term d^2U/dgamma^2, relaxation Xi.M^-1.Xi, volume V; G = (born - relaxation)/V."""

    born: float
    relaxation: float
    volume: float

    @property
    def G(self) -> float:
        return (self.born - self.relaxation) / self.volume


def hessian_factor(frame: Frame, model, kind: str = "cholesky", backend: str | None = None,
                   refine: int = 0, terms: list[lt.LocalTerms] | None = None) -> TranslationFreeFactorisation:
    """One translation-free factorisation of the Hessian of ``frame`` (an inherent structure).
    ``kind='cholesky'`` (default) also certifies that the IS is stable (M > 0 on the complement of
    the translations); it raises ``NotPositiveDefinite`` naming the problem otherwise. A double-
    precision Cholesky is backward stable, so solves are accurate to ~ cond(M) eps (kappa agrees with
    a dense eigen-decomposition to < 1e-13, tests/test_elasticity.py) and ``refine`` (iterative
    refinement steps, each one more solve) defaults to 0. Free it with ``.free()`` (or use it as a
    context manager). ``terms``: the model's local terms of ``frame`` when the caller has built them
    (``local_terms.local_terms``); a many-body model's Hessian is then assembled from them
    (``local_terms.hessian``, what its ``model.hessian`` computes) instead of building them again; a
    pair model's Hessian comes from its pair list (``analysis.hessian``) either way."""
    h = hessian(frame, model) if terms is None or model.is_pair else lt.hessian(terms, frame.n, frame.dim)
    try:
        return factor_translation_free(h, frame.dim, kind=kind, backend=backend, refine=refine)
    except NotPositiveDefinite as err:
        raise NotPositiveDefinite(f"the Hessian of this frame is not positive definite on the complement of the "
                                  f"translations: not a stable inherent structure (minimise it first) [{err}]") from err


def _with_factor(frame, model, factor, fn):
    if factor is not None:
        return fn(factor)
    with hessian_factor(frame, model) as f:
        return fn(f)


def shear_terms(frame: Frame, model, plane: str = "xy", factor: TranslationFreeFactorisation | None = None,
                terms: list[lt.LocalTerms] | None = None) -> ShearTerms:
    """Born term, non-affine relaxation Xi.M^-1.Xi and volume of Eq. (A1) for ``plane`` (``terms``: the
    model's local terms of ``frame`` if already built)."""
    terms = lt.local_terms(frame, model) if terms is None else terms
    born, xi = lt.shear_derivatives(terms, frame.n, frame.dim, plane)
    xi = xi.ravel()
    relax = _with_factor(frame, model, factor, lambda f: float(xi @ f.solve(xi)))
    return ShearTerms(born, relax, float(np.prod(frame.box_len)))


def shear_modulus(frame: Frame, model, plane: str = "xy", factor: TranslationFreeFactorisation | None = None,
                  terms: list[lt.LocalTerms] | None = None) -> float:
    """Athermal shear modulus G (P4 Eq. (A1)) of the inherent structure ``frame``; see the module docstring."""
    return shear_terms(frame, model, plane, factor, terms).G


def interacting_pairs(frame: Frame, model) -> np.ndarray:
    """All interacting pairs (P, 2), i < j (indices in frame order): r_ij < r_c,ab of a pair model, or
    r_ij < ``max_cutoff()`` of a many-body model; ordered by (i, j)."""
    if model.is_pair:
        pd = pair_data(frame, model)
        i, j = pd.i, pd.j
    else:
        i, j, _, _ = pairs_within(frame.positions - frame.box_lo, frame.box_len, model.max_cutoff())
    out = np.column_stack([i, j])
    return out[np.lexsort((out[:, 1], out[:, 0]))]


def random_dipoles(frame: Frame, model, n: int, seed: int) -> np.ndarray:
    """``n`` interacting pairs (n, 2) drawn uniformly without replacement from ``interacting_pairs``
    with ``numpy.random.default_rng(seed)``; sorted by (i, j)."""
    allp = interacting_pairs(frame, model)
    if not (isinstance(n, (int, np.integer)) and 1 <= n <= len(allp)):
        raise ValueError(f"random_dipoles: n = {n!r} must be an integer in 1..{len(allp)} (the number of "
                         "interacting pairs of this frame)")
    pick = np.sort(np.random.default_rng(seed).choice(len(allp), size=n, replace=False))
    return allp[pick]


def dipole_vectors(frame: Frame, pairs) -> sp.csc_matrix:
    """Unit dipoles d_ij = (1/sqrt 2) d r_ij/dx as the columns of a sparse (DN, P) matrix (Eq. A2)."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    i, j = pairs[:, 0], pairs[:, 1]
    if np.any(i == j) or pairs.min(initial=0) < 0 or pairs.max(initial=0) >= frame.n:
        raise ValueError(f"pairs must be distinct particle indices in 0..{frame.n - 1}")
    dim = frame.dim
    rij = minimum_image(frame.positions[j] - frame.positions[i], frame.box_len)
    n = rij / np.linalg.norm(rij, axis=1)[:, None] / np.sqrt(2.0)
    rows = np.concatenate([dim * i[:, None] + np.arange(dim), dim * j[:, None] + np.arange(dim)], axis=1)
    vals = np.concatenate([-n, n], axis=1)
    cols = np.repeat(np.arange(len(pairs)), 2 * dim)
    return sp.csc_matrix((vals.ravel(), (rows.ravel(), cols)), shape=(dim * frame.n, len(pairs)))


def dipole_stiffness(frame: Frame, model, pairs, factor: TranslationFreeFactorisation | None = None,
                     block: int = BLOCK) -> np.ndarray:
    """kappa_ij (P,) of Eq. (A4) for the dipoles of ``pairs`` (P, 2): z = M^-1 d by block solves on one
    translation-free factorisation, kappa = (d.z)/(z.z); see the module docstring."""
    d = dipole_vectors(frame, pairs)

    def run(f):
        out = np.empty(d.shape[1])
        for s in range(0, d.shape[1], block):
            ds = d[:, s:s + block].toarray()
            z = f.solve(ds)
            out[s:s + block] = np.einsum("kp,kp->p", ds, z) / np.einsum("kp,kp->p", z, z)
        return out

    return _with_factor(frame, model, factor, run)


def inherent_response(frame: Frame, model, pairs, plane: str = "xy") -> tuple[float, np.ndarray]:
    """(G, kappa_ij) of one inherent structure: G of Eq. (A1) for ``plane`` and kappa_ij of Eq. (A4)
    for the dipoles of ``pairs``, from one build of the model's local terms (Born term, Xi and, for
    a many-body model, the Hessian) and one factorisation of the Hessian."""
    terms = lt.local_terms(frame, model)
    with hessian_factor(frame, model, terms=terms) as factor:
        return (shear_modulus(frame, model, plane, factor, terms),
                dipole_stiffness(frame, model, pairs, factor=factor))


def ensemble_averages(inherent) -> dict:
    """Averages over an IS ensemble (a table of IS with columns e_is, G, kappa_mean, converged and the
    minimiser ``method``, "<method>+<fallback>" where a fallback was needed), over the converged IS
    only: n_is, e_is, G and kappa (of kappa_mean) with standard errors std(ddof = 1)/sqrt(n_is) (NaN
    for one IS); and n_unconverged_is, n_fallback_is."""
    ok = inherent[inherent["converged"]]
    n_is = len(ok)

    def err(x):
        return x.std(ddof=1) / math.sqrt(n_is) if n_is > 1 else math.nan

    return {"n_is": n_is, "e_is": ok["e_is"].mean(), "G": ok["G"].mean(), "G_err": err(ok["G"]),
            "kappa": ok["kappa_mean"].mean(), "kappa_err": err(ok["kappa_mean"]),
            "n_unconverged_is": int((~inherent["converged"]).sum()),
            "n_fallback_is": int(inherent["method"].str.contains("+", regex=False).sum())}


def local_stiffness(pairs, kappa, n: int) -> np.ndarray:
    """kappa_i (n,): mean of kappa_ij over the pairs containing particle i; NaN for particles in no pair."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    kappa = np.asarray(kappa, dtype=float)
    if len(kappa) != len(pairs):
        raise ValueError(f"local_stiffness: {len(kappa)} kappa values for {len(pairs)} pairs")
    total = np.bincount(pairs[:, 0], kappa, n) + np.bincount(pairs[:, 1], kappa, n)
    count = np.bincount(pairs[:, 0], minlength=n) + np.bincount(pairs[:, 1], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / count, np.nan)
