"""P3's force-shifted inverse-power-law r^-12 mixture (``p3_ipl12``) and its monodisperse crystal.

    v_ab(r) = eps [ (s/r)^12 + 12 (s/r_c)^12 (r/r_c) - 13 (s/r_c)^12 ]   for r < r_c = 2.5 s,
    s = sigma_ab = (sigma_a + sigma_b)/2 (additive),  0 beyond r_c.

This is eps (s/r)^12 with a linear force shift, v - v(r_c) - (r - r_c) v'(r_c): v and v' vanish
at r_c, v''(r_c) = 156 eps s^12 / r_c^14 (about 4.2e-4 eps/s^2) does not (v'' and v''' jump).
Source: Mizuno, Tong, Ikeda, Mossa, J. Chem. Phys. 153, 154501 (2020) (P3), Sec. II A, Eq. (1);
SCIENCE_P3_P4 §1.1. Glass: 50:50, sigma_1/sigma_2 = 0.7, lengths in sigma_eff with
sigma_eff^3 = sum_ab x_a x_b sigma_ab^3 = 1, which gives sigma_1 = 0.81109, sigma_2 = 1.15870
(``sigma_eff_diameters``); P3 runs it at rho = 1.015. The monodisperse FCC crystal at the same
rho is the same model with one species: ``get_model("p3_ipl12", diameters=[1.0], fractions=[1.0])``.

LAMMPS has no style for this form: it runs through ``pair_style table`` generated from
``derivative`` (``glasstools.models.pair_table``: file, settings, accuracy and speed; it lives
with the models because the numpy layers never import ``glasstools.lammps``).
"""
from __future__ import annotations

import numpy as np

from .base import PairModel, PairTerms
from .pair_table import INNER, N_POINTS, STYLE, table_commands

RC_OVER_SIGMA = 2.5


def sigma_eff_diameters(ratio: float = 0.7, fractions=(0.5, 0.5)) -> tuple:
    """Diameters (sigma_1, sigma_2) = (ratio, 1) sigma_2 with sigma_eff = 1 (P3 Sec. II A):
    sigma_eff^3 = x1^2 sigma_1^3 + 2 x1 x2 sigma_12^3 + x2^2 sigma_2^3, sigma_12 = (sigma_1 + sigma_2)/2."""
    x1, x2 = fractions
    unit = x1 * x1 * ratio**3 + 2 * x1 * x2 * (0.5 * (1 + ratio)) ** 3 + x2 * x2
    s2 = unit ** (-1.0 / 3.0)
    return (ratio * s2, s2)


P3_DIAMETERS = sigma_eff_diameters()


class IPL12ForceShifted(PairModel):
    """``eps (s/r)^12`` with P3's linear force shift at ``rc_over_sigma * s``, additive s."""

    name = "p3_ipl12"
    reference = "Mizuno, Tong, Ikeda, Mossa 2020 (P3) Eq. (1)"

    def __init__(self, diameters=P3_DIAMETERS, fractions=(0.5, 0.5), eps: float = 1.0,
                 rc_over_sigma: float = RC_OVER_SIGMA):
        self.type_diameters = np.asarray(diameters, dtype=float)
        self.ntypes = len(self.type_diameters)
        self.fractions = tuple(float(f) for f in fractions)
        if len(self.fractions) != self.ntypes:
            raise ValueError(f"{self.name}: 'fractions' must give one number fraction per diameter")
        if not np.all(self.type_diameters > 0) or eps <= 0 or rc_over_sigma <= 1:
            raise ValueError(f"{self.name}: need diameters > 0, eps > 0 and rc_over_sigma > 1")
        self.eps = float(eps)
        self.rc_over_sigma = float(rc_over_sigma)

    def pair_terms(self, types_i, types_j, diam_i=None, diam_j=None) -> PairTerms:
        s = self.pair_length(types_i, types_j)
        return PairTerms({"sig": s}, self.rc_over_sigma * s)

    def _derivative(self, n, r, p):
        """v = eps[(s/r)^12 + 12 (s/rc)^12 r/rc - 13 (s/rc)^12], v' = 12 eps s^12 (rc^-13 - r^-13),
        v'' = 156 eps s^12 r^-14, v''' = -2184 eps s^12 r^-15 (r < rc)."""
        s, rc = p["sig"], self.rc_over_sigma * p["sig"]
        s12 = self.eps * s**12
        if n == 0:
            val = s12 * (r**-12.0 + 12.0 * r / rc**13 - 13.0 * rc**-12.0)
        elif n == 1:
            val = 12.0 * s12 * (rc**-13.0 - r**-13.0)
        elif n == 2:
            val = 156.0 * s12 * r**-14.0
        else:
            val = -2184.0 * s12 * r**-15.0
        return np.where(r < rc, val, 0.0)

    def pair_length(self, types_i, types_j, diam_i=None, diam_j=None):
        d = self.type_diameters
        return 0.5 * (d[np.asarray(types_i) - 1] + d[np.asarray(types_j) - 1])

    def max_cutoff(self, diameters=None) -> float:
        return self.rc_over_sigma * float(self.type_diameters.max())

    def lammps_commands(self) -> list[str]:
        return table_commands(self)

    def params(self) -> dict:
        return {"diameters": self.type_diameters.tolist(), "fractions": list(self.fractions),
                "eps": self.eps, "rc_over_sigma": self.rc_over_sigma}

    def describe(self) -> dict:
        return {**super().describe(), **self.params(), "shift": "linear force shift",
                "lammps": f"pair_style table {STYLE} {N_POINTS}, r_min = {INNER} sigma_ab"}
