"""Harmonic spheres: U(r) = (v0/2) (1 - r/d_ij)^2 for r < d_ij, additive d_ij = (d_i + d_j)/2.

Source: Nishikawa et al., "Relaxation dynamics in the energy landscape of glass-forming
liquids" (P0) and P1 App. E (3D monodisperse, packing fraction phi = 0.73).
In LAMMPS: ``pair_style harmonic/cut``, E = k (r_c - r)^2 with k = v0 / (2 d_ij^2), r_c = d_ij,
one ``pair_coeff`` per pair of types; per-type diameters are ``diameters[type - 1]``.
"""
from __future__ import annotations

import numpy as np

from .base import PairModel, PairTerms


class HarmonicSpheres(PairModel):
    name = "harmonic_spheres"
    #: steepest-descent Euler step (default) and the largest step accepted by the config
    default_sd_dt = 0.05
    max_stable_sd_dt = 0.1
    reference = "Nishikawa et al. 2022 (P0); Shimada et al. 2024 (P1) App. E"

    def __init__(self, diameters=(1.0,), fractions=None, v0: float = 1.0):
        self.type_diameters = np.asarray(diameters, dtype=float)
        self.ntypes = len(self.type_diameters)
        if fractions is None and self.ntypes == 1:
            fractions = (1.0,)
        self.fractions = tuple(fractions) if fractions is not None else None
        if self.fractions is None or len(self.fractions) != self.ntypes:
            raise ValueError("harmonic_spheres: 'fractions' must give one number fraction per diameter")
        self.v0 = float(v0)

    def pair_terms(self, types_i, types_j, diam_i=None, diam_j=None) -> PairTerms:
        if diam_i is None:
            diam_i = self.type_diameters[np.asarray(types_i) - 1]
            diam_j = self.type_diameters[np.asarray(types_j) - 1]
        d = 0.5 * (np.asarray(diam_i) + np.asarray(diam_j))
        return PairTerms({"d": d}, d)

    def _derivative(self, n, r, p):
        """U = (v0/2)(1 - r/d)^2, U' = -v0 (1 - r/d)/d, U'' = v0/d^2, U^(3) = 0 (for r < d)."""
        d = p["d"]
        if n == 0:
            val = 0.5 * self.v0 * (1.0 - r / d) ** 2
        elif n == 1:
            val = -self.v0 * (1.0 - r / d) / d
        elif n == 2:
            val = self.v0 / d**2
        else:
            val = 0.0
        return np.where(r < d, val, 0.0)

    def pair_length(self, types_i, types_j, diam_i=None, diam_j=None):
        return self.pair_terms(types_i, types_j, diam_i, diam_j).params["d"]

    def max_cutoff(self, diameters=None) -> float:
        return float(np.max(diameters) if diameters is not None else self.type_diameters.max())

    def lammps_commands(self) -> list[str]:
        cmds = ["pair_style harmonic/cut"]
        for a in range(self.ntypes):
            for b in range(a, self.ntypes):
                d = 0.5 * (self.type_diameters[a] + self.type_diameters[b])
                cmds.append(f"pair_coeff {a + 1} {b + 1} {self.v0 / (2 * d * d):.17g} {d:.17g}")
        return cmds

    def params(self) -> dict:
        return {"diameters": self.type_diameters.tolist(), "fractions": list(self.fractions),
                "v0": self.v0}

    def describe(self) -> dict:
        return {**super().describe(), "v0": self.v0, "type_diameters": self.type_diameters.tolist(),
                "fractions": list(self.fractions)}
