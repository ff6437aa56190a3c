"""P4's modified Kob-Andersen mixture (``p4_mblj``): KA 80:20 shifted-force LJ with short AA, BB cutoffs.

    U_ab(r) = U_LJ(r) - U_LJ(r_c,ab) - (r - r_c,ab) U_LJ'(r_c,ab)   for r < r_c,ab;  0 beyond,
    KA parameters (``ka_lj.EPS``, ``ka_lj.SIG``): eps_AA = 1, eps_AB = 1.5, eps_BB = 0.5,
    sigma_AA = 1, sigma_AB = 0.8, sigma_BB = 0.88;
    r_c,AA = 1.5, r_c,AB = 2.0, r_c,BB = 1.5 (absolute; 1.5 sigma_AA, 2.5 sigma_AB, 1.70 sigma_BB).

The short like-pair cutoffs remove most of the AA and BB attraction ("decreased strength of the AA
and BB interactions", more resistant to crystallisation). Source: P4 (Kapteijns et al., J. Chem.
Phys. 155, 074502 (2021)) Sec. II A; cutoffs from the first author's code (``ForceShiftedLJ``,
SCIENCE_P3_P4 §2.1 (b)). Table I state point: rho = 1.2, N = 8000, dt = 0.005, tau_NH = 0.2,
q_max (largest species) = 7.25. LAMMPS: ``pair_style lj/smooth/linear`` with per-pair cutoffs (exact).
"""
from __future__ import annotations

from .ka_lj import EPS, SIG, LJForceShifted

CUTOFFS = ((1.5, 2.0), (2.0, 1.5))


class ModifiedKobAndersen(LJForceShifted):
    """mBLJ (types: 1 = A, 80 %; 2 = B, 20 %)."""

    name = "p4_mblj"
    ntypes = 2
    fractions = (0.8, 0.2)
    reference = "Kapteijns et al. 2021 (P4) Sec. II A, Table I; SCIENCE_P3_P4 §2.1 (b)"
    state_point = {"rho": 1.2, "N": 8000, "dt": 0.005, "tau_nh": 0.2, "q_max": 7.25}

    def __init__(self):
        super().__init__(EPS, SIG, (0.8, 0.2), cutoffs=CUTOFFS)

    def params(self) -> dict:
        return {}
