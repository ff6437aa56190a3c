"""Pair potentials that are piecewise sums of powers of the reduced distance x = r / lambda_ab.

    U_ab(r) = eps f(r / lambda_ab),   f(x) = sum_k c_k^(m) x^k   on piece m: x_(m-1) <= x < x_m,
    f(x) = 0 for x >= x_c (the end of the last piece),

with a per-type-pair length matrix lambda_ab (not necessarily additive) and integer powers k
(negative for the repulsive core). d^n U / dr^n = eps lambda^-n f^(n)(x) with
d^n x^k / dx^n = k (k-1) ... (k-n+1) x^(k-n), exact for every n. P4's IPL-10 (``ipl10.py``) and
sticky spheres (``sticky_spheres.py``) are two instances (SCIENCE_P3_P4 §2.1 (a), (c)).

LAMMPS has neither form: they run through ``pair_style table`` generated from ``derivative``
(``glasstools.models.pair_table``; accuracy measured in tests/test_p4_models.py).
"""
from __future__ import annotations

import numpy as np

from .base import PairModel, PairTerms
from .pair_table import INNER, N_POINTS, STYLE, table_commands


def falling_factorial(k: int, n: int) -> float:
    """k (k-1) ... (k-n+1): the coefficient of x^(k-n) in d^n x^k / dx^n."""
    out = 1.0
    for m in range(n):
        out *= k - m
    return out


def power_sum(coeffs: dict, n: int, x):
    """d^n/dx^n of sum_k c_k x^k at x (array)."""
    return sum(c * falling_factorial(k, n) * x ** float(k - n) for k, c in coeffs.items()
               if falling_factorial(k, n) != 0.0)


class PowerSeriesPair(PairModel):
    """``eps f(r / lambda_ab)`` with f given by ``pieces`` = ((x_end, {power: coefficient}), ...)
    in increasing x_end; the last x_end is the cutoff x_c. Types 1..ntypes index ``lam``."""

    pieces: tuple = ()

    def __init__(self, lam, fractions, eps: float = 1.0):
        self.lam = np.atleast_2d(np.asarray(lam, dtype=float))
        self.ntypes = self.lam.shape[0]
        if self.lam.shape != (self.ntypes, self.ntypes) or not np.allclose(self.lam, self.lam.T):
            raise ValueError(f"{self.name}: lam must be a symmetric ntypes x ntypes matrix")
        if not np.all(self.lam > 0) or eps <= 0:
            raise ValueError(f"{self.name}: need lam > 0 and eps > 0")
        self.fractions = tuple(float(f) for f in fractions)
        if len(self.fractions) != self.ntypes:
            raise ValueError(f"{self.name}: 'fractions' must give one number fraction per type")
        self.eps = float(eps)
        self.type_diameters = np.diag(self.lam).copy()

    @property
    def x_c(self) -> float:
        return float(self.pieces[-1][0])

    def pair_terms(self, types_i, types_j, diam_i=None, diam_j=None) -> PairTerms:
        lam = self.pair_length(types_i, types_j)
        return PairTerms({"lam": lam}, self.x_c * lam)

    def _derivative(self, n, r, p):
        """eps lambda^-n f^(n)(r/lambda), piece by piece; 0 for x >= x_c."""
        lam = p["lam"]
        x = np.asarray(r / lam, dtype=float)
        val = np.zeros(np.broadcast(x, lam).shape)
        lo = 0.0
        for hi, coeffs in self.pieces:
            on = (x >= lo) & (x < hi)
            if np.any(on):
                xo = np.broadcast_to(x, val.shape)[on]
                val[on] = power_sum(coeffs, n, xo)
            lo = hi
        return self.eps * val / lam**n

    def pair_length(self, types_i, types_j, diam_i=None, diam_j=None):
        return self.lam[np.asarray(types_i) - 1, np.asarray(types_j) - 1]

    def max_cutoff(self, diameters=None) -> float:
        return self.x_c * float(self.lam.max())

    def lammps_commands(self) -> list[str]:
        return table_commands(self)

    def params(self) -> dict:
        return {}

    def describe(self) -> dict:
        return {**super().describe(), "lambda": self.lam.tolist(), "eps": self.eps, "x_c": self.x_c,
                "fractions": list(self.fractions), "state_point": dict(self.state_point),
                "lammps": f"pair_style table {STYLE} {N_POINTS}, r_min = {INNER} lambda_ab"}
