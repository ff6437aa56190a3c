"""Continuous polydisperse, non-additive pair potentials with per-particle diameters.

Pair diameter (Ninarello, Berthier, Coslovich, PRX 7, 021039 (2017), used by P0 and P2):

    d_ij = (d_i + d_j)/2 * (1 - eps_na |d_i - d_j|),   eps_na = 0.2 in the papers,

and, with x = r / d_ij and energy scale e (v0 or epsilon, 1 in the papers):

* ``soft_spheres_poly`` (P0 = Nishikawa et al., "Relaxation dynamics in the energy landscape of
  glass-forming liquids", PRX 2022):  U = e [x^-12 + c0 + c1 x^2 + c2 x^4] for x < x_c = 1.25,
  c0 = -28 x_c^-12, c1 = 48 x_c^-14, c2 = -21 x_c^-16 (U, U', U'' vanish at x_c). The paper writes
  U = v0 x^-12 + c0 + ...; with v0 = 1 both agree (here the constants scale with e).
* ``wca_poly`` (P2 = Scalliet, Berthier, Zamponi, "Nature of excitations and defects in
  structural glasses", Nat. Commun. 2019):  U = 4e (x^-12 - x^-6) + e for x < 2^(1/6).
* ``harmonic_poly`` (P0, 2D harmonic spheres):  U = (e/2)(1 - x)^2 for x < 1.
* ``wca_harmonic_standin`` (P2's NEB pre-relaxation):  U = 18 2^(2/3) e (x - 2^(1/6))^2 for
  x < 2^(1/6) (same value, slope and curvature as the WCA at its cutoff).

Per-particle diameters are LAMMPS ``atom_style sphere`` diameters (radius = d/2; masses stay 1,
set with ``set group all mass 1.0`` after ``read_data``/``set diameter``). The LAMMPS side is
``pair_style poly/nonadd FORM eps_na energy e`` of the glasstools plugin
(``lammps_inputs/plugins``, loaded by ``glasstools.lammps.plugins``); its global neighbour
cutoff is x_c * max_i d_i (d_ij <= max(d_i, d_j) for eps_na >= 0).
"""
from __future__ import annotations

import numpy as np

from .base import PairModel, PairTerms

TWO_16 = 2.0 ** (1.0 / 6.0)


class PolydisperseModel(PairModel):
    """Base: U(r) = e * phi(r / d_ij) for r < x_c d_ij; subclasses give phi, phi', phi''."""

    #: LAMMPS ``pair_style poly/nonadd`` form name and cutoff x_c in units of d_ij
    form: str = ""
    xc: float = 1.0
    #: the LAMMPS side needs the glasstools plugin and per-atom diameters
    plugin = True
    atom_style = "sphere"
    needs_diameters = True
    ntypes = 1
    fractions = (1.0,)
    default_sd_dt = 5.0e-4
    max_stable_sd_dt = 1.0e-3
    #: sample preparation defaults (the one place for them; the workflow config
    #: ``diameter_ratio`` overrides): d_min/d_max of f(d) ~ d^-3 (P0: 0.449, P2: 0.45), and
    #: the effective-diameter factor s of the packing fraction phi = sum_i v_D(s d_i) / V
    #: (1 for soft/harmonic spheres, 2^(1/6) for P2's WCA phi = sqrt(2) pi/(6V) sum sigma_i^3)
    default_diameter_ratio: float = 0.449
    phi_scale: float = 1.0

    def __init__(self, eps_na: float = 0.2, energy: float = 1.0):
        if eps_na < 0:
            raise ValueError(f"{self.name}: eps_na must be >= 0 (got {eps_na})")
        self.eps_na = float(eps_na)
        self.energy = float(energy)

    # phi(x) and its derivatives of the dimensionless form, valid for x < xc
    def _phi(self, x):
        raise NotImplementedError

    def _dphi(self, x):
        raise NotImplementedError

    def _d2phi(self, x):
        raise NotImplementedError

    def _d3phi(self, x):
        raise NotImplementedError

    def pair_diameter(self, diam_i, diam_j):
        di, dj = np.asarray(diam_i, float), np.asarray(diam_j, float)
        return 0.5 * (di + dj) * (1.0 - self.eps_na * np.abs(di - dj))

    def pair_terms(self, types_i, types_j, diam_i=None, diam_j=None) -> PairTerms:
        if diam_i is None or diam_j is None:
            raise ValueError(f"{self.name} needs per-particle diameters (dump column 'diameter' "
                             "or 'radius')")
        d = self.pair_diameter(diam_i, diam_j)
        return PairTerms({"d": d}, self.xc * d)

    def _eval(self, fn, r, p, power):
        d = p["d"]
        x = np.asarray(r, float) / d
        inside = x < self.xc
        xs = np.where(inside, x, 1.0)  # keep the form finite outside (masked anyway)
        return np.where(inside, self.energy * fn(xs) / d**power, 0.0)

    def _derivative(self, n, r, p):
        return self._eval((self._phi, self._dphi, self._d2phi, self._d3phi)[n], r, p, n)

    def pair_length(self, types_i, types_j, diam_i=None, diam_j=None):
        return self.pair_terms(types_i, types_j, diam_i, diam_j).params["d"]

    def max_cutoff(self, diameters=None) -> float:
        if diameters is None:
            raise ValueError(f"{self.name} needs per-particle diameters")
        return float(self.xc * np.max(diameters))

    def lammps_commands(self) -> list[str]:
        return [f"pair_style poly/nonadd {self.form} {self.eps_na!r} energy {self.energy!r}",
                "pair_coeff * *"]

    def params(self) -> dict:
        return {"eps_na": self.eps_na, "energy": self.energy}

    def describe(self) -> dict:
        return {**super().describe(), "form": self.form, "eps_na": self.eps_na,
                "energy": self.energy, "x_c": self.xc}


class SoftSpheresPoly(PolydisperseModel):
    """P0 soft spheres: phi = x^-12 + c0 + c1 x^2 + c2 x^4, x < 1.25."""

    name = "soft_spheres_poly"
    form = "soft"
    xc = 1.25
    reference = "Nishikawa et al. 2022 (P0); Ninarello et al. PRX 2017"
    C0 = -28.0 * xc**-12
    C1 = 48.0 * xc**-14
    C2 = -21.0 * xc**-16

    def _phi(self, x):
        return x**-12 + self.C0 + self.C1 * x**2 + self.C2 * x**4

    def _dphi(self, x):
        return -12.0 * x**-13 + 2.0 * self.C1 * x + 4.0 * self.C2 * x**3

    def _d2phi(self, x):
        return 156.0 * x**-14 + 2.0 * self.C1 + 12.0 * self.C2 * x**2

    def _d3phi(self, x):
        return -2184.0 * x**-15 + 24.0 * self.C2 * x


class WCAPoly(PolydisperseModel):
    """P2 WCA: phi = 4 (x^-12 - x^-6) + 1, x < 2^(1/6)."""

    name = "wca_poly"
    form = "wca"
    xc = TWO_16
    default_diameter_ratio = 0.45
    phi_scale = TWO_16
    neb_stand_in = "wca_harmonic_standin"  # P2: NEB chains are pre-relaxed with it (phi <~ 0.9)
    reference = "Scalliet, Berthier, Zamponi, Nat. Commun. 2019 (P2)"

    def _phi(self, x):
        return 4.0 * (x**-12 - x**-6) + 1.0

    def _dphi(self, x):
        return 4.0 * (-12.0 * x**-13 + 6.0 * x**-7)

    def _d2phi(self, x):
        return 4.0 * (156.0 * x**-14 - 42.0 * x**-8)

    def _d3phi(self, x):
        return 4.0 * (-2184.0 * x**-15 + 336.0 * x**-9)


class HarmonicPoly(PolydisperseModel):
    """Harmonic spheres with per-particle diameters: phi = (1 - x)^2 / 2, x < 1."""

    name = "harmonic_poly"
    form = "harmonic"
    xc = 1.0
    default_sd_dt = 0.05
    max_stable_sd_dt = 0.1
    reference = "Nishikawa et al. 2022 (P0)"

    def _phi(self, x):
        return 0.5 * (1.0 - x) ** 2

    def _dphi(self, x):
        return -(1.0 - x)

    def _d2phi(self, x):
        return np.ones_like(x)

    def _d3phi(self, x):
        return np.zeros_like(x)


class WCAHarmonicStandin(PolydisperseModel):
    """P2 NEB stand-in: phi = 18 2^(2/3) (x - 2^(1/6))^2, x < 2^(1/6)."""

    name = "wca_harmonic_standin"
    form = "standin"
    xc = TWO_16
    default_diameter_ratio = 0.45
    phi_scale = TWO_16
    K = 18.0 * 2.0 ** (2.0 / 3.0)
    reference = "Scalliet, Berthier, Zamponi, Nat. Commun. 2019 (P2), NEB pre-relaxation"

    def _phi(self, x):
        return self.K * (x - TWO_16) ** 2

    def _dphi(self, x):
        return 2.0 * self.K * (x - TWO_16)

    def _d2phi(self, x):
        return 2.0 * self.K * np.ones_like(x)

    def _d3phi(self, x):
        return np.zeros_like(x)
