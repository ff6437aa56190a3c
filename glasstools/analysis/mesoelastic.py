"""The mesoelastic test of P4: is ln tau_alpha set by the dipole stiffness kappa of the IS?

P4 = Kapteijns, Richard, Bouchbinder, Schroder, Dyre, Lerner, J. Chem. Phys. 155, 074502 (2021).

Reduced units (P4 Sec. II B): a_0 = (V/N)^(1/3) = rho^(-1/3) and t_0 = a_0 / sqrt(T) (m = k_B = 1),
so t_0 depends on T. The ballistic regime MSD/a_0^2 = 3 (t/t_0)^2 ends at t_ballistic ~ 0.1 t_0.

P4 Eq. (3), in its fitted form (Fig. 4 a4-d4), with the natural log (SCIENCE_P3_P4 Sec. 2.5):

    ln(tau_alpha / t_0) = (ell a_0)^2 kappa(T) / T + ln t_tilde

a straight line in x = kappa/T (microscopic units, kappa in eps/sigma^2) with slope (ell a_0)^2
and intercept ln t_tilde; ell (dimensionless) and t_tilde (in units of t_0) are the fit's
results. P4: ell ~ 0.4 for every model, t_tilde = 0.1 (IPL), 0.02 (mBLJ), 4e-9 (SS), 9e-14 (SW).
The fit uses only the activated regime, tau_alpha / t_0 >= ``min_tau_ratio`` (P4: ~10).
With ``ell`` given (P4 for SS and SW: ell = 0.4 fixed), only t_tilde is fitted.

Errors: a seeded bootstrap over the state points (pairs resampled with replacement; draws
with fewer than two distinct kappa/T are redrawn), optionally with each point perturbed by
its Gaussian standard errors of kappa and ln tau_alpha; reported as the standard deviation
and the 90 % percentile interval of the bootstrap distribution (P4 quotes 90 % CIs).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

#: P4 Fig. 9: the ballistic regime ends at t_ballistic ~ 0.1 t_0 for all models
T_BALLISTIC_OVER_T0 = 0.1


def length_unit(density: float) -> float:
    """a_0 = (V/N)^(1/3) = rho^(-1/3) (P4 Sec. II B)."""
    if not density > 0:
        raise ValueError(f"density must be > 0, got {density}")
    return float(density) ** (-1.0 / 3.0)


def time_unit(density: float, T) -> np.ndarray | float:
    """t_0 = a_0 / sqrt(T) (P4 Sec. II B), m = k_B = 1."""
    T = np.asarray(T, float)
    if np.any(~(T > 0)):
        raise ValueError(f"T must be > 0, got {T}")
    out = length_unit(density) / np.sqrt(T)
    return float(out) if out.ndim == 0 else out


@dataclass
class MesoelasticFit:
    ell: float                 # ell (fitted, or the fixed value)
    ell_err: float             # bootstrap standard deviation (0 when fixed)
    ell_ci: tuple              # 90 % bootstrap interval
    t_tilde: float             # exp(intercept)
    ln_t_tilde: float
    ln_t_tilde_err: float      # bootstrap standard deviation of ln t_tilde
    t_tilde_ci: tuple          # 90 % bootstrap interval of t_tilde
    slope: float               # (ell a_0)^2
    a0: float
    n_points: int              # state points with tau_alpha / t_0 >= min_tau_ratio
    min_tau_ratio: float
    ell_fixed: bool
    n_boot: int
    seed: int

    def row(self) -> dict:
        d = asdict(self)
        for key in ("ell_ci", "t_tilde_ci"):
            lo, hi = d.pop(key)
            d[f"{key}_lo"], d[f"{key}_hi"] = lo, hi
        return d


def _line(x, y, ell_slope):
    """Least-squares (slope, intercept) of y = s x + c; with ``ell_slope`` fixed, c only."""
    if ell_slope is not None:
        return ell_slope, float(np.mean(y - ell_slope * x))
    s, c = np.polyfit(x, y, 1)
    return float(s), float(c)


def fit_mesoelastic(kappa, T, tau_alpha, density: float, *, min_tau_ratio: float = 10.0,
                    ell: float | None = None, kappa_err=None, ln_tau_err=None,
                    n_boot: int = 1000, seed: int = 0) -> MesoelasticFit:
    """Fit P4 Eq. (3) to state points (kappa(T), T, tau_alpha(T)) at one ``density``.

    ``kappa``: mean dipole stiffness of the IS ensemble of parent temperature T (eps/sigma^2);
    ``tau_alpha``: in simulation time units. Points with tau_alpha / t_0 < ``min_tau_ratio``
    (or NaN tau_alpha) are left out; at least two must remain (one with ``ell`` fixed).
    ``kappa_err``, ``ln_tau_err``: optional standard errors per point, added as Gaussian noise
    in each bootstrap draw. Returns a ``MesoelasticFit`` (module docstring for the errors)."""
    kappa, T, tau = (np.asarray(v, float) for v in (kappa, T, tau_alpha))
    if not (kappa.shape == T.shape == tau.shape and kappa.ndim == 1):
        raise ValueError("kappa, T and tau_alpha must be 1-D arrays of equal length")
    if not min_tau_ratio > 0:
        raise ValueError(f"min_tau_ratio must be > 0, got {min_tau_ratio}")
    if ell is not None and not ell > 0:
        raise ValueError(f"ell must be > 0 when fixed, got {ell}")
    a0 = length_unit(density)
    ratio = tau / time_unit(density, T)
    use = np.isfinite(ratio) & (ratio >= min_tau_ratio) & np.isfinite(kappa)
    need = 1 if ell is not None else 2
    x, y = kappa[use] / T[use], np.log(ratio[use])
    if len(np.unique(x)) < need:
        raise ValueError(f"the mesoelastic fit needs >= {need} state points with distinct kappa/T and "
                         f"tau_alpha/t_0 >= min_tau_ratio = {min_tau_ratio}; have {int(use.sum())} "
                         f"(tau_alpha/t_0 = {np.round(ratio, 3).tolist()})")
    fixed = None if ell is None else (ell * a0) ** 2
    s, c = _line(x, y, fixed)
    rng = np.random.default_rng(seed)
    dk = None if kappa_err is None else np.asarray(kappa_err, float)[use] / T[use]
    dy = None if ln_tau_err is None else np.asarray(ln_tau_err, float)[use]
    boot_s, boot_c = [], []
    n = len(x)
    while len(boot_s) < n_boot:
        k = rng.integers(0, n, n)
        if len(np.unique(x[k])) < need:
            continue
        xb, yb = x[k].copy(), y[k].copy()
        if dk is not None:
            xb += rng.normal(0.0, 1.0, n) * dk[k]
        if dy is not None:
            yb += rng.normal(0.0, 1.0, n) * dy[k]
        sb, cb = _line(xb, yb, fixed)
        boot_s.append(sb)
        boot_c.append(cb)
    boot_s, boot_c = np.array(boot_s), np.array(boot_c)
    boot_ell = np.sqrt(np.clip(boot_s, 0.0, None)) / a0

    def ci(v):
        return (tuple(float(q) for q in np.percentile(v, [5, 95])) if len(v) else (math.nan, math.nan))

    return MesoelasticFit(
        ell=float(math.sqrt(s) / a0) if s >= 0 else math.nan,
        ell_err=float(boot_ell.std(ddof=1)) if ell is None and n_boot > 1 else 0.0,
        ell_ci=ci(boot_ell) if ell is None else (float(ell), float(ell)),
        t_tilde=float(math.exp(c)), ln_t_tilde=float(c),
        ln_t_tilde_err=float(boot_c.std(ddof=1)) if n_boot > 1 else math.nan,
        t_tilde_ci=tuple(float(math.exp(v)) for v in ci(boot_c)),
        slope=float(s), a0=a0, n_points=int(use.sum()), min_tau_ratio=float(min_tau_ratio),
        ell_fixed=ell is not None, n_boot=int(n_boot), seed=int(seed))
