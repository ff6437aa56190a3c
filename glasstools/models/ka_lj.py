"""Lennard-Jones mixtures cut at r_c = 2.5 sigma_ab: linear force-shifted (``lj_fs``, P1) or
truncated (P0); Kob-Andersen.

With U_LJ(r) = 4 eps_ab [(s/r)^12 - (s/r)^6] and eps_AB = 1.5, eps_BB = 0.5, sigma_AB = 0.8,
sigma_BB = 0.88 (A units), for r < r_c (0 beyond), by ``shift``:

* ``"force"`` (default; P1 = Shimada et al., "Instantaneous normal modes of glass-forming
  liquids during the athermal relaxation process of the steepest descent algorithm", Eq. (3)):
  U = U_LJ(r) - U_LJ(r_c) - (r - r_c) U_LJ'(r_c); LAMMPS ``pair_style lj/smooth/linear``.
  Energy and force are continuous at r_c (NEB barriers and IS energies need it).
* ``"none"`` (P0 = Nishikawa et al. PRX 2022, App. A Eq. (A4): "truncated", no shift mentioned):
  U = U_LJ(r); LAMMPS ``lj/cut`` with ``pair_modify shift no``. U jumps by -U_LJ(r_c) (~ -0.016
  eps_ab) and the force by -U_LJ'(r_c) at r_c.
* ``"energy"``: U = U_LJ(r) - U_LJ(r_c) (``lj/cut``, ``pair_modify shift yes``); the force still
  jumps at r_c.

A truncated potential has no Hessian term for the jump (a delta function at r_c): the analytic
Hessian is that of the smooth part, and every pair crossing r_c changes E discontinuously, so
NEB barriers and IS energies jump (LAMMPS_NOTES "NEB and cutoff continuity": 3 % of an LJ vacancy
barrier with ``lj/cut 2.5``). Landscape work uses ``"force"``.

``LJForceShifted(eps, sigma, fractions, rc_over_sigma, cutoffs, shift)`` is the general mixture
(one definition); ``KobAndersenFS`` (``ka_lj_fs``) is it with the KA parameters,
``KobAndersenTruncated`` (``ka_lj_trunc``, P0) with the KA parameters and ``shift="none"``; both
take the composition (``fractions``: 80:20 in 3D, P0's 65:35 in 2D). ``LJForceShifted()`` with no
arguments is the monodisperse LJ (eps = sigma = 1). Kob & Andersen 1995 for the parameters.
``cutoffs`` (an ntypes x ntypes matrix of absolute r_c,ab) replaces r_c = rc_over_sigma sigma_ab:
P4's mBLJ (``mblj.py``) is KA with r_c = 1.5 / 2.0 / 1.5.
"""
from __future__ import annotations

import numpy as np

from .base import PairModel, PairTerms

EPS = np.array([[1.0, 1.5], [1.5, 0.5]])
SIG = np.array([[1.0, 0.8], [0.8, 0.88]])
RC_OVER_SIGMA = 2.5
#: composition of KA-LJ: 80:20 in 3D (Kob & Andersen 1995), 65:35 in 2D (P0 App. A)
KA_FRACTIONS = (0.8, 0.2)
#: ``shift`` choices: LAMMPS pair style and ``pair_modify shift`` of each
SHIFTS = {"force": ("lj/smooth/linear", None), "energy": ("lj/cut", "yes"), "none": ("lj/cut", "no")}


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
    """LJ mixture cut at ``rc_over_sigma`` sigma_ab (or ``cutoffs``), ``shift`` = "force" (P1,
    default), "energy" or "none" (P0, plain truncation); ``eps``/``sigma`` are ntypes x ntypes."""

    name = "lj_fs"
    #: steepest-descent steps: the ``Model`` defaults (KA-LJ: 5e-4, at most 1e-3)
    reference = "Shimada et al. 2024 (P1) Eq. (3)"

    def __init__(self, eps=((1.0,),), sigma=((1.0,),), fractions=(1.0,),
                 rc_over_sigma: float = RC_OVER_SIGMA, cutoffs=None, shift: str = "force"):
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
        if shift not in SHIFTS:
            raise ValueError(f"{self.name}: shift must be one of {sorted(SHIFTS)}, got {shift!r}")
        self.shift = shift

    def pair_terms(self, types_i, types_j, diam_i=None, diam_j=None) -> PairTerms:
        a = np.asarray(types_i) - 1
        b = np.asarray(types_j) - 1
        eps, sig, rc = self.eps[a, b], self.sig[a, b], self.rc[a, b]
        return PairTerms({"eps": eps, "sig": sig, "rc": rc}, rc)

    def _derivative(self, n, r, p):
        """Force shift: U = LJ(r) - LJ(r_c) - (r - r_c) LJ'(r_c), U' = LJ'(r) - LJ'(r_c);
        energy shift: U = LJ(r) - LJ(r_c), U' = LJ'(r); none: U = LJ(r), U' = LJ'(r);
        U^(n) = LJ^(n) for n >= 2 (all for r < r_c)."""
        eps, sig, rc = p["eps"], p["sig"], p["rc"]
        if n == 0:
            val = _lj(r, eps, sig)
            if self.shift != "none":
                val = val - _lj(rc, eps, sig)
            if self.shift == "force":
                val = val - (r - rc) * _dlj(rc, eps, sig)
        elif n == 1:
            val = _dlj(r, eps, sig) - (_dlj(rc, eps, sig) if self.shift == "force" else 0.0)
        else:
            val = (_d2lj, _d3lj)[n - 2](r, eps, sig)
        return np.where(r < rc, val, 0.0)

    def pair_length(self, types_i, types_j, diam_i=None, diam_j=None):
        return self.sig[np.asarray(types_i) - 1, np.asarray(types_j) - 1]

    def max_cutoff(self, diameters=None) -> float:
        return float(self.rc.max())

    def lammps_commands(self) -> list[str]:
        style, modify = SHIFTS[self.shift]
        cmds = [f"pair_style {style} {self.rc.max():.6g}"]
        for a in range(self.ntypes):
            for b in range(a, self.ntypes):
                cmds.append(
                    f"pair_coeff {a + 1} {b + 1} {self.eps[a, b]:.17g} {self.sig[a, b]:.17g} "
                    f"{self.rc[a, b]:.17g}"
                )
        if modify is not None:
            cmds.append(f"pair_modify shift {modify}")
        return cmds

    def params(self) -> dict:
        out = {"eps": self.eps.tolist(), "sigma": self.sig.tolist(), "fractions": list(self.fractions),
               "rc_over_sigma": self.rc_over_sigma}
        if self.cutoffs is not None:
            out["cutoffs"] = self.cutoffs.tolist()
        if self.shift != "force":
            out["shift"] = self.shift
        return out

    def describe(self) -> dict:
        shift = {"force": "linear force shift", "energy": "energy shift (force jumps at r_c)",
                 "none": "plain truncation (energy and force jump at r_c)"}[self.shift]
        d = {**super().describe(), "eps": self.eps.tolist(), "sigma": self.sig.tolist(),
             "rc_over_sigma": self.rc_over_sigma, "shift": shift,
             "fractions": list(self.fractions)}
        if self.cutoffs is not None:
            d["cutoffs"] = self.cutoffs.tolist()
        return d


class KobAndersenFS(LJForceShifted):
    """KA-LJ with the P1 linear force shift (types: 1 = A, 2 = B); ``fractions`` (x_A, x_B):
    80:20 (default) or P0's 2D 65:35."""

    name = "ka_lj_fs"
    ntypes = 2
    reference = "Shimada et al. 2024 (P1) Eq. (3); Kob & Andersen 1995"
    SHIFT = "force"

    def __init__(self, fractions=KA_FRACTIONS):
        super().__init__(EPS, SIG, fractions, RC_OVER_SIGMA, shift=self.SHIFT)

    def params(self) -> dict:
        return {} if self.fractions == KA_FRACTIONS else {"fractions": list(self.fractions)}

    def describe(self) -> dict:
        d = super().describe()
        if self.fractions == KA_FRACTIONS:
            d.pop("fractions")
        return d


class KobAndersenTruncated(KobAndersenFS):
    """P0's KA-LJ: U_LJ truncated at 2.5 sigma_ab with no shift (P0 App. A Eq. (A4)); energy and
    force jump at r_c, so use ``ka_lj_fs`` for NEB barriers and IS energies."""

    name = "ka_lj_trunc"
    reference = "Nishikawa et al. 2022 (P0) App. A Eq. (A4); Kob & Andersen 1995"
    SHIFT = "none"
