"""P4's 3D IPL-10 mixture (``p4_ipl10``): r^-10 smoothed to q = 3 vanishing derivatives at x_c.

    phi_ab(r) = eps [ x^-10 + c0 + c2 x^2 + c4 x^4 + c6 x^6 ],   x = r / lambda_ab < x_c;  0 beyond,
    x_c = 1.48,  c0 = -56 x_c^-10,  c2 = 140 x_c^-12,  c4 = -120 x_c^-14,  c6 = 35 x_c^-16,
    lambda_AA = 1.0, lambda_AB = 1.18, lambda_BB = 1.4 (type 1 = A small, 2 = B large), eps = 1, 50:50.

phi, phi', phi'' and phi''' vanish at x_c (tests/test_p4_models.py). Source: Kapteijns, Richard,
Bouchbinder, Schroder, Dyre, Lerner, J. Chem. Phys. 155, 074502 (2021) (P4) Sec. II A ("50:50
binary mixture, U ~ r^-10"); the smoothing and constants from the first author's code
(SCIENCE_P3_P4 §2.1 (a)). Table I state point: rho = 0.82, N = 2000, dt = 0.005, tau_NH = 0.2,
q_max (large) = 6.35. Cutoffs 1.48 (AA), 1.7464 (AB), 2.072 (BB).
"""
from __future__ import annotations

from .power_series import PowerSeriesPair

X_C = 1.48
#: lambda_ab of P4's IPL and sticky-sphere mixtures (A = small, B = large; non-additive AB)
LAMBDA = ((1.0, 1.18), (1.18, 1.4))
FRACTIONS = (0.5, 0.5)
COEFFS = {-10: 1.0, 0: -56.0 * X_C**-10, 2: 140.0 * X_C**-12, 4: -120.0 * X_C**-14, 6: 35.0 * X_C**-16}


class IPL10(PowerSeriesPair):
    """P4 IPL-10, q = 3 smoothing at x_c = 1.48 (types: 1 = A small, 2 = B large)."""

    name = "p4_ipl10"
    reference = "Kapteijns et al. 2021 (P4) Sec. II A, Table I; SCIENCE_P3_P4 §2.1 (a)"
    pieces = ((X_C, COEFFS),)
    state_point = {"rho": 0.82, "N": 2000, "dt": 0.005, "tau_nh": 0.2, "q_max": 6.35}

    def __init__(self):
        super().__init__(LAMBDA, FRACTIONS)
