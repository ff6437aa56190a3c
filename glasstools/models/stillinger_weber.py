"""Stillinger-Weber with lambda = 18.75 (``p4_sw``), a three-body model, single species.

    E = sum_{i<j} phi2(r_ij) + sum_i sum_{j<k} phi3(r_ij, r_ik, theta_jik)
    phi2(r) = A eps [ B (sigma/r)^p - (sigma/r)^q ] exp[ sigma / (r - a sigma) ]               r < a sigma
    phi3    = lambda eps (cos theta_jik - cos theta0)^2 exp[ gamma sigma / (r_ij - a sigma) ]
                                                      exp[ gamma sigma / (r_ik - a sigma) ]
    A = 7.049556277, B = 0.6022245584, p = 4, q = 0, a = 1.80, gamma = 1.20, cos theta0 = -1/3,
    lambda = 18.75 (silicon: 21.0), eps = sigma = m = 1.

Source: Stillinger & Weber, Phys. Rev. B 31, 5262 (1985) (form, silicon constants); P4 (Kapteijns
et al., J. Chem. Phys. 155, 074502 (2021)) Sec. II A: "all parameters equal to the original silicon
model, except lambda = 18.75" (SCIENCE_P3_P4 §2.1 (d)). Table I state point: rho = 0.52, N = 8000,
dt = 0.065, tau_NH = 6.5, q_max = 6.28.

LAMMPS: ``pair_style sw`` with a parameter file written from ``PARAMS`` (content-addressed in the
table cache, ``pair_table.cached_file``). numpy: the energy as local terms
(``glasstools.analysis.local_terms``): one K = 1 term per pair (phi2) and one K = 2 term per
triplet (centre i; bonds u = r_ij, v = r_ik). With c = cos theta = u.v / (|u||v|), r1 = |u|,
n1 = u/r1 (and r2, n2 for v), F(r) = exp(gamma sigma/(r - a sigma)), g(c) = (c - cos theta0)^2 and
Lambda = lambda eps, the triplet term h = Lambda g(c) F(r1) F(r2) has, exactly,

    dc/du = (n2 - c n1)/r1 =: c_u,            dc/dv = (n1 - c n2)/r2 =: c_v
    d2c/du2 = -(n1 c_u^T + c_u n1^T)/r1 - c (I - n1 n1^T)/r1^2
    d2c/du dv = [ (I - n2 n2^T)/r2 - n1 c_v^T ] / r1
    dh/du = Lambda [ g' F1 F2 c_u + g F1' F2 n1 ]
    d2h/du2 = Lambda [ g'' F1 F2 c_u c_u^T + g' F1 F2 d2c/du2 + g' F1' F2 (c_u n1^T + n1 c_u^T)
                       + g F1'' F2 n1 n1^T + g F1' F2 (I - n1 n1^T)/r1 ]
    d2h/du dv = Lambda [ g'' F1 F2 c_u c_v^T + g' F1 F2 d2c/du dv + g' F1 F2' c_u n2^T
                         + g' F1' F2 n1 c_v^T + g F1' F2' n1 n2^T ]

(v-derivatives by u <-> v), F' = -gamma sigma t^2 F, F'' = F (gamma^2 sigma^2 t^4 + 2 gamma sigma t^3),
t = 1/(r - a sigma). The Hessian (the P4 SW Hessian of their Ref. 53) and forces are checked against
LAMMPS forces and their finite differences in tests/test_p4_models.py.
"""
from __future__ import annotations

import numpy as np

from .base import Model
from .pair_table import cached_file

#: SW 1985 silicon constants with P4's lambda (lj units: eps = sigma = 1)
PARAMS = {"epsilon": 1.0, "sigma": 1.0, "a": 1.80, "lambda": 18.75, "gamma": 1.20, "costheta0": -1.0 / 3.0,
          "A": 7.049556277, "B": 0.6022245584, "p": 4.0, "q": 0.0}
ELEMENT = "Si"


def _pair_terms(r):
    """phi2, phi2' and phi2'' (r < a sigma; the caller passes only such pairs)."""
    s, a, big_a, big_b, p, q, eps = (PARAMS[k] for k in ("sigma", "a", "A", "B", "p", "q", "epsilon"))
    t = 1.0 / (r - a * s)
    ex = np.exp(s * t)
    ex1, ex2 = -s * t**2 * ex, ex * (s * s * t**4 + 2.0 * s * t**3)
    pw = big_b * s**p * r**-p - s**q * r**-q
    pw1 = -p * big_b * s**p * r ** (-p - 1) + q * s**q * r ** (-q - 1)
    pw2 = p * (p + 1) * big_b * s**p * r ** (-p - 2) - q * (q + 1) * s**q * r ** (-q - 2)
    return big_a * eps * pw * ex, big_a * eps * (pw1 * ex + pw * ex1), \
        big_a * eps * (pw2 * ex + 2.0 * pw1 * ex1 + pw * ex2)


def _radial(r):
    """F(r) = exp(gamma sigma/(r - a sigma)) and its first two derivatives (r < a sigma)."""
    s, a, g = PARAMS["sigma"], PARAMS["a"], PARAMS["gamma"]
    t = 1.0 / (r - a * s)
    f = np.exp(g * s * t)
    return f, -g * s * t**2 * f, f * (g * g * s * s * t**4 + 2.0 * g * s * t**3)


def _outer(x, y):
    return x[:, :, None] * y[:, None, :]


def triplet_terms(u, v):
    """(h, dh/du, dh/dv, d2h/du2, d2h/dudv, d2h/dv2) of the three-body term for bond vectors u, v (T, 3)."""
    lam = PARAMS["lambda"] * PARAMS["epsilon"]
    r1, r2 = np.linalg.norm(u, axis=1), np.linalg.norm(v, axis=1)
    n1, n2 = u / r1[:, None], v / r2[:, None]
    c = np.einsum("td,td->t", n1, n2)
    g, g1, g2 = (c - PARAMS["costheta0"]) ** 2, 2.0 * (c - PARAMS["costheta0"]), 2.0
    f1, f1p, f1pp = _radial(r1)
    f2, f2p, f2pp = _radial(r2)
    eye = np.eye(3)[None]
    cu = (n2 - c[:, None] * n1) / r1[:, None]
    cv = (n1 - c[:, None] * n2) / r2[:, None]
    p1, p2 = eye - _outer(n1, n1), eye - _outer(n2, n2)
    cuu = -(_outer(n1, cu) + _outer(cu, n1)) / r1[:, None, None] - (c / r1**2)[:, None, None] * p1
    cvv = -(_outer(n2, cv) + _outer(cv, n2)) / r2[:, None, None] - (c / r2**2)[:, None, None] * p2
    cuv = (p2 / r2[:, None, None] - _outer(n1, cv)) / r1[:, None, None]
    s = lambda x: x[:, None, None]  # noqa: E731
    ff = f1 * f2
    h = lam * g * ff
    hu = lam * ((g1 * ff)[:, None] * cu + (g * f1p * f2)[:, None] * n1)
    hv = lam * ((g1 * ff)[:, None] * cv + (g * f1 * f2p)[:, None] * n2)
    huu = lam * (s(g2 * ff) * _outer(cu, cu) + s(g1 * ff) * cuu + s(g1 * f1p * f2) * (_outer(cu, n1) + _outer(n1, cu))
                 + s(g * f1pp * f2) * _outer(n1, n1) + s(g * f1p * f2 / r1) * p1)
    hvv = lam * (s(g2 * ff) * _outer(cv, cv) + s(g1 * ff) * cvv + s(g1 * f1 * f2p) * (_outer(cv, n2) + _outer(n2, cv))
                 + s(g * f1 * f2pp) * _outer(n2, n2) + s(g * f1 * f2p / r2) * p2)
    huv = lam * (s(g2 * ff) * _outer(cu, cv) + s(g1 * ff) * cuv + s(g1 * f1 * f2p) * _outer(cu, n2)
                 + s(g1 * f1p * f2) * _outer(n1, cv) + s(g * f1p * f2p) * _outer(n1, n2))
    return h, hu, hv, huu, huv, hvv


def triplets(i, j):
    """Triplets (centre, j, k), j < k in bond order, from the pair list (i, j): every two bonds at a centre.
    Returns (centre, bond index 1, bond index 2, sign 1, sign 2) into the pair list (sign -1: reversed)."""
    centre = np.concatenate([i, j])
    bond = np.concatenate([np.arange(len(i)), np.arange(len(i))])
    sign = np.concatenate([np.ones(len(i)), -np.ones(len(i))])
    order = np.argsort(centre, kind="stable")
    centre, bond, sign = centre[order], bond[order], sign[order]
    end = np.searchsorted(centre, centre, side="right")
    count = end - np.arange(len(centre)) - 1           # partners after each directed bond at its centre
    first = np.repeat(np.arange(len(centre)), count)
    offset = np.arange(len(first)) - np.repeat(np.cumsum(count) - count, count) + 1
    second = first + offset
    return centre[first], bond[first], bond[second], sign[first], sign[second]


class StillingerWeber(Model):
    """SW with P4's lambda = 18.75 (one species; ``is_pair`` False: energy, forces, Hessian here)."""

    name = "p4_sw"
    reference = "Stillinger & Weber 1985; Kapteijns et al. 2021 (P4) Sec. II A, Table I"
    ntypes = 1
    fractions = (1.0,)
    type_diameters = np.array([1.0])
    state_point = {"rho": 0.52, "N": 8000, "dt": 0.065, "tau_nh": 6.5, "q_max": 6.28}
    #: steepest-descent Euler steps: an IS at rho = 0.52 (N = 300) has lambda_max = 87, limit 2/87 = 0.023
    default_sd_dt = 5.0e-3
    max_stable_sd_dt = 1.0e-2

    def max_cutoff(self, diameters=None) -> float:
        return PARAMS["a"] * PARAMS["sigma"]

    def pair_length(self, types_i, types_j, diam_i=None, diam_j=None):
        return np.full(np.broadcast(np.asarray(types_i), np.asarray(types_j)).shape, PARAMS["sigma"])

    def local_terms(self, frame) -> list:
        """K = 1 terms (phi2 per pair) and K = 2 terms (phi3 per triplet); see the module docstring."""
        # imported here: scipy (sparse, spatial) is ~0.25 s of every process that imports the
        # models, LAMMPS ranks and CLI jobs included, and only these analysis methods need it
        from ..analysis import local_terms as lt
        from ..analysis.neighbours import pairs_within

        if frame.dim != 3:
            raise ValueError(f"{self.name}: three-dimensional only, got a {frame.dim}D frame")
        i, j, rij, r = pairs_within(frame.positions - frame.box_lo, frame.box_len, self.max_cutoff())
        if np.any(r == 0.0):
            raise ValueError(f"{self.name}: atoms at the same position")
        out = [lt.radial_terms(i, j, r, rij / r[:, None], *_pair_terms(r))]
        c, b1, b2, s1, s2 = triplets(i, j)
        u, v = s1[:, None] * rij[b1], s2[:, None] * rij[b2]
        other = lambda b, sg: np.where(sg > 0, j[b], i[b])  # noqa: E731
        h, hu, hv, huu, huv, hvv = triplet_terms(u, v)
        hess = np.stack([np.stack([huu, huv], 1), np.stack([huv.transpose(0, 2, 1), hvv], 1)], 1)
        out.append(lt.LocalTerms(np.column_stack([c, other(b1, s1), other(b2, s2)]), np.stack([u, v], 1), h,
                                 np.stack([hu, hv], 1), hess))
        return out

    def energy_forces(self, frame):
        from ..analysis import local_terms as lt

        terms = self.local_terms(frame)
        return lt.energy(terms), lt.forces(terms, frame.n, frame.dim)

    def hessian(self, frame):
        from ..analysis import local_terms as lt

        return lt.hessian(self.local_terms(frame), frame.n, frame.dim)

    def parameter_file_text(self) -> str:
        """The ``pair_style sw`` file: element1 element2 element3 eps sigma a lambda gamma costheta0 A B p q tol."""
        keys = ("epsilon", "sigma", "a", "lambda", "gamma", "costheta0", "A", "B", "p", "q")
        vals = " ".join(repr(float(PARAMS[k])) for k in keys)
        return f"# {self.name} via glasstools.models.stillinger_weber\n{ELEMENT} {ELEMENT} {ELEMENT} {vals} 0.0\n"

    def lammps_commands(self) -> list[str]:
        path = cached_file(self.name, self.parameter_file_text(), "sw")
        return ["pair_style sw", f"pair_coeff * * {path} {ELEMENT}"]

    def describe(self) -> dict:
        return {**super().describe(), **PARAMS, "state_point": dict(self.state_point)}
