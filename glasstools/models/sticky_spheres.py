"""P4's sticky spheres (``p4_sticky_spheres``, the "CSS" model): LJ repulsion, short strong attraction.

    x = r / lambda_ab,  x_min = 2^(1/6),  x_c = 1.2 x_min,  eps = 1
    phi(x) = 4 (x^-12 - x^-6)                                   x < x_min
    phi(x) = a x^-12 - b x^-6 + c0 + c2 x^2 + c4 x^4 + c6 x^6    x_min <= x < x_c;   0 for x >= x_c
    a = -106.991613526652,  b = -304.918469059567,  c0 = -939.388037994211,
    c2 = 1190.70962256002,  c4 = -541.300131587551,  c6 = 85.8684936914713

lambda_ab as in IPL-10 (1.0, 1.18, 1.4; ``ipl10.LAMBDA``), 50:50. phi, phi', phi'' are continuous at
x_min with phi(x_min) = -1, and vanish at x_c; phi''' jumps at both (tests/test_p4_models.py).
Source: P4 (Kapteijns et al., J. Chem. Phys. 155, 074502 (2021)) Sec. II A ("dimensionless cutoff
x_c = 2^(1/6) x 1.2"); the six constants from the first author's code (SCIENCE_P3_P4 §2.1 (c)).
Table I state point: rho = 0.6, N = 3000, dt = 0.005, tau_NH = 0.2, q_max (large) = 5.47; Table III
adds rho = 0.7 (N = 4000, dt = 0.003) and 0.95 (N = 4000, dt = 0.002). Cutoffs 1.3470 (AA),
1.5894 (AB), 1.8857 (BB).
"""
from __future__ import annotations

from .ipl10 import FRACTIONS, LAMBDA
from .power_series import PowerSeriesPair

X_MIN = 2.0 ** (1.0 / 6.0)
X_C = 1.2 * X_MIN
A, B = -106.991613526652, -304.918469059567
C0, C2, C4, C6 = -939.388037994211, 1190.70962256002, -541.300131587551, 85.8684936914713


class StickySpheres(PowerSeriesPair):
    """P4 sticky spheres (types: 1 = A small, 2 = B large)."""

    name = "p4_sticky_spheres"
    reference = "Kapteijns et al. 2021 (P4) Sec. II A, Tables I and III; SCIENCE_P3_P4 §2.1 (c)"
    pieces = ((X_MIN, {-12: 4.0, -6: -4.0}),
              (X_C, {-12: A, -6: -B, 0: C0, 2: C2, 4: C4, 6: C6}))
    state_point = {"rho": 0.6, "N": 3000, "dt": 0.005, "tau_nh": 0.2, "q_max": 5.47}
    #: steepest-descent Euler step: an IS at rho = 0.6 (N = 300) has lambda_max = 1543 (limit 2/1543 = 1.3e-3;
    #: IPL-10 947, mBLJ 548), so the general 1e-3 ceiling is lowered to 5e-4
    max_stable_sd_dt = 5.0e-4
    #: P4 Table III: the density series (rho -> N, dt, tau_NH, q_max of the large species)
    density_series = {0.6: {"N": 3000, "dt": 0.005, "tau_nh": 0.2, "q_max": 5.47},
                      0.7: {"N": 4000, "dt": 0.003, "tau_nh": 0.2, "q_max": 5.87},
                      0.95: {"N": 4000, "dt": 0.002, "tau_nh": 0.2, "q_max": 6.40}}

    def __init__(self):
        super().__init__(LAMBDA, FRACTIONS)
