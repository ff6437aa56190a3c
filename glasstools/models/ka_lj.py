"""Lennard-Jones mixtures, linear force-shifted at r_c = 2.5 sigma_ab (``lj_fs``); Kob-Andersen.

U_ab(r) = 4 eps_ab [(s/r)^12 - (s/r)^6] - U_LJ(r_c) - (r - r_c) U_LJ'(r_c)  for r < r_c,
with eps_AB = 1.5, eps_BB = 0.5, sigma_AB = 0.8, sigma_BB = 0.88 (A units).
Source: Shimada et al., "Instantaneous normal modes of glass-forming liquids during the
athermal relaxation process of the steepest descent algorithm" (P1), Eq. (3); Kob & Andersen
1995 for the parameters. LAMMPS realises this form as ``pair_style lj/smooth/linear``.

``LJForceShifted(eps, sigma, fractions, rc_over_sigma)`` is the general mixture (one
definition); ``KobAndersenFS`` (``ka_lj_fs``) is it with the KA parameters below, and
``LJForceShifted()`` with no arguments is the monodisperse LJ (eps = sigma = 1), energy and
force continuous at r_c (needed for NEB barriers, see LAMMPS_NOTES "NEB and cutoff continuity").
``cutoffs`` (an ntypes x ntypes matrix of absolute r_c,ab) replaces r_c = rc_over_sigma sigma_ab:
P4's mBLJ (``mblj.py``) is KA with r_c = 1.5 / 2.0 / 1.5.
"""
from __future__ import annotations

import numpy as np

from .base import PairModel, PairTerms

EPS = np.array([[1.0, 1.5], [1.5, 0.5]])
SIG = np.array([[1.0, 0.8], [0.8, 0.88]])
RC_OVER_SIGMA = 2.5


def _lj(r, eps, sig):
    sr6 = (sig / r) ** 6
    return 4.0 * eps * (sr6 * sr6 - sr6)


def _dlj(r, eps, sig):
    sr6 = (sig / r) ** 6
    return -24.0 * eps * (2.0 * sr6 * sr6 - sr6) / r


def _d2lj(r, eps, sig):
    sr6 = (sig / r) ** 6
    return 24.0 * eps * (26.0 * sr6 * sr6 - 7.0 * sr6) / r**2


def _d3lj(r, eps, sig):
    sr6 = (sig / r) ** 6
    return -24.0 * eps * (364.0 * sr6 * sr6 - 56.0 * sr6) / r**3


class LJForceShifted(PairModel):
    """LJ mixture with the P1 linear force shift; ``eps``/``sigma`` are ntypes x ntypes."""

    name = "lj_fs"
    #: steepest-descent steps: the ``Model`` defaults (KA-LJ: 5e-4, at most 1e-3)
    reference = "Shimada et al. 2024 (P1) Eq. (3)"

    def __init__(self, eps=((1.0,),), sigma=((1.0,),), fractions=(1.0,),
                 rc_over_sigma: float = RC_OVER_SIGMA, cutoffs=None):
        self.eps = np.atleast_2d(np.asarray(eps, dtype=float))
        self.sig = np.atleast_2d(np.asarray(sigma, dtype=float))
        self.ntypes = self.eps.shape[0]
        if self.eps.shape != (self.ntypes, self.ntypes) or self.sig.shape != self.eps.shape:
            raise ValueError(f"{self.name}: eps and sigma must be square and of equal shape")
        if not (np.allclose(self.eps, self.eps.T) and np.allclose(self.sig, self.sig.T)):
            raise ValueError(f"{self.name}: eps and sigma must be symmetric")
        self.fractions = tuple(float(f) for f in fractions)
        if len(self.fractions) != self.ntypes:
            raise ValueError(f"{self.name}: 'fractions' must give one number fraction per type")
        self.rc_over_sigma = float(rc_over_sigma)
        self.cutoffs = None if cutoffs is None else np.atleast_2d(np.asarray(cutoffs, dtype=float))
        if self.cutoffs is not None and (self.cutoffs.shape != self.eps.shape
                                         or not np.allclose(self.cutoffs, self.cutoffs.T)
                                         or not np.all(self.cutoffs > self.sig)):
            raise ValueError(f"{self.name}: cutoffs must be a symmetric ntypes x ntypes matrix with "
                             "r_c,ab > sigma_ab")
        self.rc = self.rc_over_sigma * self.sig if self.cutoffs is None else self.cutoffs

    def pair_terms(self, types_i, types_j, diam_i=None, diam_j=None) -> PairTerms:
        a = np.asarray(types_i) - 1
        b = np.asarray(types_j) - 1
        eps, sig, rc = self.eps[a, b], self.sig[a, b], self.rc[a, b]
        return PairTerms({"eps": eps, "sig": sig, "rc": rc}, rc)

    def _derivative(self, n, r, p):
        """U = LJ(r) - LJ(r_c) - (r - r_c) LJ'(r_c), U' = LJ'(r) - LJ'(r_c), U^(n) = LJ^(n) for n >= 2."""
        eps, sig, rc = p["eps"], p["sig"], p["rc"]
        if n == 0:
            val = _lj(r, eps, sig) - _lj(rc, eps, sig) - (r - rc) * _dlj(rc, eps, sig)
        elif n == 1:
            val = _dlj(r, eps, sig) - _dlj(rc, eps, sig)
        else:
            val = (_d2lj, _d3lj)[n - 2](r, eps, sig)
        return np.where(r < rc, val, 0.0)

    def pair_length(self, types_i, types_j, diam_i=None, diam_j=None):
        return self.sig[np.asarray(types_i) - 1, np.asarray(types_j) - 1]

    def max_cutoff(self, diameters=None) -> float:
        return float(self.rc.max())

    def lammps_commands(self) -> list[str]:
        cmds = [f"pair_style lj/smooth/linear {self.rc.max():.6g}"]
        for a in range(self.ntypes):
            for b in range(a, self.ntypes):
                cmds.append(
                    f"pair_coeff {a + 1} {b + 1} {self.eps[a, b]:.17g} {self.sig[a, b]:.17g} "
                    f"{self.rc[a, b]:.17g}"
                )
        return cmds

    def params(self) -> dict:
        out = {"eps": self.eps.tolist(), "sigma": self.sig.tolist(), "fractions": list(self.fractions),
               "rc_over_sigma": self.rc_over_sigma}
        if self.cutoffs is not None:
            out["cutoffs"] = self.cutoffs.tolist()
        return out

    def describe(self) -> dict:
        d = {**super().describe(), "eps": self.eps.tolist(), "sigma": self.sig.tolist(),
             "rc_over_sigma": self.rc_over_sigma, "shift": "linear force shift",
             "fractions": list(self.fractions)}
        if self.cutoffs is not None:
            d["cutoffs"] = self.cutoffs.tolist()
        return d


class KobAndersenFS(LJForceShifted):
    """KA-LJ with the P1 linear force shift (types: 1 = A, 2 = B)."""

    name = "ka_lj_fs"
    ntypes = 2
    fractions = (0.8, 0.2)
    reference = "Shimada et al. 2024 (P1) Eq. (3); Kob & Andersen 1995"

    def __init__(self):
        super().__init__(EPS, SIG, (0.8, 0.2), RC_OVER_SIGMA)

    def params(self) -> dict:
        return {}

    def describe(self) -> dict:
        d = super().describe()
        d.pop("fractions")
        return d
