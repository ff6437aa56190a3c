"""Kob-Andersen binary Lennard-Jones, linear force-shifted at r_c = 2.5 sigma_ab.

U_ab(r) = 4 eps_ab [(s/r)^12 - (s/r)^6] - U_LJ(r_c) - (r - r_c) U_LJ'(r_c)  for r < r_c,
with eps_AB = 1.5, eps_BB = 0.5, sigma_AB = 0.8, sigma_BB = 0.88 (A units).
Source: Shimada et al., "Instantaneous normal modes of glass-forming liquids during the
athermal relaxation process of the steepest descent algorithm" (P1), Eq. (3); Kob & Andersen
1995 for the parameters. LAMMPS realises this form as ``pair_style lj/smooth/linear``.
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


class KobAndersenFS(PairModel):
    """KA-LJ with the P1 linear force shift (types: 1 = A, 2 = B)."""

    name = "ka_lj_fs"
    ntypes = 2
    fractions = (0.8, 0.2)
    #: steepest-descent Euler step (default) and the largest step accepted by the config:
    #: explicit Euler needs dt < 2/lambda_max (LAMMPS_NOTES: KA-LJ 2e-3 loses atoms, 5e-4 is stable)
    default_sd_dt = 5.0e-4
    max_stable_sd_dt = 1.0e-3
    reference = "Shimada et al. 2024 (P1) Eq. (3); Kob & Andersen 1995"

    def pair_terms(self, types_i, types_j, diam_i=None, diam_j=None) -> PairTerms:
        a = np.asarray(types_i) - 1
        b = np.asarray(types_j) - 1
        eps, sig = EPS[a, b], SIG[a, b]
        return PairTerms({"eps": eps, "sig": sig}, RC_OVER_SIGMA * sig)

    @staticmethod
    def _rc(p):
        return RC_OVER_SIGMA * p["sig"]

    def u(self, r, p):
        eps, sig, rc = p["eps"], p["sig"], self._rc(p)
        val = _lj(r, eps, sig) - _lj(rc, eps, sig) - (r - rc) * _dlj(rc, eps, sig)
        return np.where(r < rc, val, 0.0)

    def du(self, r, p):
        eps, sig, rc = p["eps"], p["sig"], self._rc(p)
        return np.where(r < rc, _dlj(r, eps, sig) - _dlj(rc, eps, sig), 0.0)

    def d2u(self, r, p):
        eps, sig, rc = p["eps"], p["sig"], self._rc(p)
        return np.where(r < rc, _d2lj(r, eps, sig), 0.0)

    def max_cutoff(self, diameters=None) -> float:
        return RC_OVER_SIGMA * SIG.max()

    def lammps_commands(self) -> list[str]:
        cmds = [f"pair_style lj/smooth/linear {RC_OVER_SIGMA * SIG.max():.6g}"]
        for a in range(2):
            for b in range(a, 2):
                cmds.append(
                    f"pair_coeff {a + 1} {b + 1} {EPS[a, b]:.17g} {SIG[a, b]:.17g} "
                    f"{RC_OVER_SIGMA * SIG[a, b]:.17g}"
                )
        return cmds

    def describe(self) -> dict:
        return {**super().describe(), "eps": EPS.tolist(), "sigma": SIG.tolist(),
                "rc_over_sigma": RC_OVER_SIGMA, "shift": "linear force shift"}
