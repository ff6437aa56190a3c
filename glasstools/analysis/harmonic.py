"""Harmonic vibrations of an inherent structure: normal modes, vDOS g(omega), the joint two-mode
DOS j(omega), and the broadened delta function shared with the three-phonon linewidths.

Normal modes (P3 = Mizuno, Tong, Ikeda, Mossa, J. Chem. Phys. 153, 154501 (2020), Sec. II D;
SCIENCE_P3_P4 §1.3): eigenpairs H e_k = omega_k^2 e_k of the analytic Hessian at the inherent
structure (masses m = 1, so H is the dynamical matrix), with the D uniform translations of the
periodic box removed, k = 1 .. DN - D; e_k are unit over all DN components.

Delta broadening (one convention for j and for Gamma_k, ``glasstools.analysis.three_phonon``):
a Gaussian of standard deviation sigma = width x Delta, Delta = omega_max / (DN - D) the mean level
spacing, truncated at |x| < W = cutoff_sigmas x sigma and renormalised to unit weight there:

    delta(x) = exp(-x^2 / 2 sigma^2) / (sqrt(2 pi) sigma erf(c / sqrt 2))   for |x| < c sigma, else 0.

The truncation drops the fraction 1 - erf(c/sqrt 2) of the untruncated Gaussian's weight
(0.27 % at the default c = 3; 6.3e-5 at c = 4) and puts it back by the renormalisation; every
sum over mode pairs is then exact (no pair outside the window contributes).
"""
from __future__ import annotations

import math

import numpy as np

from ..linalg import check_translation_invariant
from .hessian import hessian
from .modes import _dense_modes, default_tol, spectrum_density

DEFAULT_WIDTH = 5.0          # delta width in mean level spacings
DEFAULT_CUTOFF_SIGMAS = 3.0  # truncation of the Gaussian in standard deviations


def normal_modes(frame, model, zero_tol: float | None = None, components=None):
    """``(omega, vectors)`` of the inherent structure ``frame``: omega (DN - D,) ascending,
    vectors (DN, DN - D) unit columns (particle-major: x, y, z of atom 0, ...), by LAPACK ``eigh``
    of the dense analytic Hessian on the complement of the D translations (Householder deflation,
    ``glasstools.linalg.deflate_translations``).

    ``components`` (e.g. ``(0,)``): motion confined to these Cartesian components of every atom,
    the others held fixed (a collinear chain along x moving along x only: its x and y, z blocks
    decouple exactly); the Hessian restricted to them, their c translations removed: c N - c modes,
    vectors still (DN, c N - c) with zeros in the fixed components. None = all D.

    The removed modes are the translations, exact zero modes of a periodic Hessian; this checks
    that they are the lowest in |lambda|: every other eigenvalue must exceed ``zero_tol``
    (default 1e-8 times the Gershgorin bound). A ``ValueError`` names the offending eigenvalues if
    the configuration is not a minimum (lambda < -zero_tol: not an inherent structure) or has
    further zero modes (|lambda| <= zero_tol)."""
    h = hessian(frame, model)
    dim = frame.dim
    comps = tuple(range(dim)) if components is None else tuple(sorted(set(int(c) for c in components)))
    if not comps or comps[0] < 0 or comps[-1] >= dim:
        raise ValueError(f"components must be Cartesian components in 0..{dim - 1}, got {components!r}")
    keep = (np.arange(frame.n)[:, None] * dim + np.asarray(comps)[None, :]).ravel()
    if len(comps) < dim:
        h = h.tocsr()[keep][:, keep]
    check_translation_invariant(h, len(comps))
    tol = default_tol(h) if zero_tol is None else float(zero_tol)
    lam, vecs, n_neg = _dense_modes(h, len(comps), tol, "all", 0)
    if n_neg:
        raise ValueError(f"normal_modes: {n_neg} eigenvalue(s) below -zero_tol = {-tol:.3g} (lowest "
                         f"{lam[:min(n_neg, 5)].tolist()}): the configuration is not an inherent structure; "
                         "minimise it first")
    n_zero = int(np.count_nonzero(lam <= tol))
    if n_zero:
        raise ValueError(f"normal_modes: {n_zero} zero mode(s) besides the {len(comps)} translations "
                         f"(|lambda| <= zero_tol = {tol:.3g}: {lam[:min(n_zero, 5)].tolist()}); the "
                         "translations must be the only zero modes (rattlers or a non-periodic system?)")
    if len(comps) < dim:
        full = np.zeros((frame.n * dim, vecs.shape[1]))
        full[keep] = vecs
        vecs = full
    return np.sqrt(lam), vecs


def harmonic_sample(omega, vectors, T: float, seed: int):
    """``(displacement, velocity)``, each (DN,), drawn from the classical canonical distribution of
    the harmonic Hamiltonian H = sum_k (A_dot_k^2 + omega_k^2 A_k^2) / 2 (m = k_B = 1) at T:
    A_k ~ N(0, T / omega_k^2), A_dot_k ~ N(0, T) independent, r - r_IS = sum_k A_k e_k, v = sum_k
    A_dot_k e_k. Every mode then starts with an exponentially distributed energy of mean T (the
    equilibrium of the harmonic limit), so an NVE run from it needs no thermostat: only the
    O(T) anharmonic corrections relax. Seeded (``numpy.random.default_rng(seed)``)."""
    omega = np.asarray(omega, dtype=float)
    if not (np.isfinite(T) and T > 0):
        raise ValueError(f"T must be a finite temperature > 0, got {T!r}")
    rng = np.random.default_rng(seed)
    amp = rng.normal(size=len(omega)) * math.sqrt(T) / omega
    rate = rng.normal(size=len(omega)) * math.sqrt(T)
    vectors = np.asarray(vectors, dtype=float)
    return vectors @ amp, vectors @ rate


def vdos(omega, bins):
    """vDOS ``(g, edges)``: g(omega) = (DN - D)^-1 sum_k delta(omega - omega_k) as a histogram with
    ``bins`` (number or edges), normalised so that sum g d omega = 1 (P3 below Eq. 14)."""
    return spectrum_density(np.asarray(omega, dtype=float), bins)


def level_spacing(omega) -> float:
    """Mean level spacing Delta = omega_max / (number of modes)."""
    omega = np.asarray(omega, dtype=float)
    return float(omega.max()) / len(omega)


def broadening(omega, width: float = DEFAULT_WIDTH, cutoff_sigmas: float = DEFAULT_CUTOFF_SIGMAS,
               sigma: float | None = None):
    """``(sigma, W)``: Gaussian std sigma = width x Delta (or the absolute ``sigma`` when given, in
    units of omega; ``width`` is then not used) and window half-width W = cutoff_sigmas x sigma.

    Which to use: a glass's Gamma_k is flat in sigma over a wide plateau (measured N = 256,
    T = 0.01: MD/theory band ratios change < 2 % for sigma = 0.05-0.8, i.e. 2-30 level spacings,
    7 % in the top band), so a width in level spacings converges with N. A small crystal's
    two-mode spectrum is a few dozen sharp levels (crystal-momentum selection; FCC N = 256: 47
    distinct frequencies): Gamma_k then depends on whether a two-mode level falls within sigma of
    omega_k: band geometric means of tau_k change up to 7x between sigma = 0.1 (about the default
    width; 12 modes with Gamma = 0) and 0.4. They settle for sigma >= 0.2-0.4 at N = 256 (within
    25 % of N = 864, whose band means are flat within 10 % for sigma = 0.05-0.4), and MD of the
    same N = 256 crystal agrees with that plateau (MD/theory 0.8-1.1 at T = 0.01 and 0.05), not
    with the default width (0.12 at omega = 10-15).
    There use an absolute sigma on the plateau (README P3, "Why the N = 256 crystal disagreed")."""
    if sigma is not None and not (np.isfinite(sigma) and sigma > 0):
        raise ValueError(f"sigma (absolute delta broadening) must be a finite number > 0, got {sigma!r}")
    if sigma is None and not width > 0:
        raise ValueError(f"width (delta broadening in mean level spacings) must be > 0, got {width!r}")
    if not cutoff_sigmas > 0:
        raise ValueError(f"cutoff_sigmas (Gaussian truncation in standard deviations) must be > 0, "
                         f"got {cutoff_sigmas!r}")
    sigma = float(width) * level_spacing(omega) if sigma is None else float(sigma)
    return sigma, float(cutoff_sigmas) * sigma


def kept_weight(cutoff_sigmas: float) -> float:
    """Weight of the untruncated Gaussian inside |x| < c sigma: erf(c / sqrt 2)."""
    return math.erf(cutoff_sigmas / math.sqrt(2.0))


def gaussian_delta(x, sigma: float, cutoff_sigmas: float):
    """The truncated, renormalised Gaussian delta(x) of the module docstring."""
    x = np.asarray(x, dtype=float)
    norm = 1.0 / (math.sqrt(2.0 * math.pi) * sigma * kept_weight(cutoff_sigmas))
    return np.where(np.abs(x) < cutoff_sigmas * sigma, norm * np.exp(-0.5 * (x / sigma) ** 2), 0.0)


def _delta_sum(omega_sorted, x, sigma: float, cutoff_sigmas: float, chunk: int = 1 << 21):
    """sum_m delta(x - omega_m) for every x, exactly (only the omega_m inside each window)."""
    w = cutoff_sigmas * sigma
    out = np.empty(len(x))
    lo_all = np.searchsorted(omega_sorted, x - w, side="right")
    hi_all = np.searchsorted(omega_sorted, x + w, side="left")
    width = int((hi_all - lo_all).max(initial=0))
    step = max(1, chunk // max(width, 1))
    for s in range(0, len(x), step):
        lo, hi, xs = lo_all[s:s + step], hi_all[s:s + step], x[s:s + step]
        idx = lo[:, None] + np.arange(width)[None, :]
        inside = idx < hi[:, None]
        d = gaussian_delta(xs[:, None] - omega_sorted[np.minimum(idx, len(omega_sorted) - 1)], sigma, cutoff_sigmas)
        out[s:s + step] = np.where(inside, d, 0.0).sum(axis=1)
    return out


def joint_dos(omega, grid, width: float = DEFAULT_WIDTH, cutoff_sigmas: float = DEFAULT_CUTOFF_SIGMAS,
              sigma: float | None = None):
    """Joint two-mode DOS ``(j_split, j_combine)`` on the frequencies ``grid`` (P3 Eq. 14):

        j_split(w) = n^-2 sum_{l,m} (1/2) delta(w - omega_l - omega_m),
        j_combine(w) = n^-2 sum_{l,m} delta(w + omega_l - omega_m),      n = len(omega),

    with the truncated Gaussian delta of the module docstring (``width`` in mean level spacings of
    ``omega``, or the absolute ``sigma``: ``broadening``), the same as in ``three_phonon.linewidths``;
    j = j_split + j_combine."""
    omega = np.sort(np.asarray(omega, dtype=float))
    grid = np.atleast_1d(np.asarray(grid, dtype=float))
    sigma, _ = broadening(omega, width, cutoff_sigmas, sigma)
    n = len(omega)
    split = _delta_sum(omega, (grid[:, None] - omega[None, :]).ravel(), sigma, cutoff_sigmas)
    comb = _delta_sum(omega, (grid[:, None] + omega[None, :]).ravel(), sigma, cutoff_sigmas)
    return (0.5 * split.reshape(len(grid), n).sum(axis=1) / n**2,
            comb.reshape(len(grid), n).sum(axis=1) / n**2)


__all__ = ["DEFAULT_CUTOFF_SIGMAS", "DEFAULT_WIDTH", "broadening", "gaussian_delta", "joint_dos", "kept_weight",
           "level_spacing", "normal_modes", "vdos"]
