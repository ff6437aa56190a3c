"""State points: numbers of particles per species, box size, packing fraction, seeds."""
from __future__ import annotations

import hashlib
import math

import numpy as np


def species_counts(N: int, fractions) -> list[int]:
    """Integer particle numbers per species; error if N x fraction is not an integer."""
    counts = []
    for k, x in enumerate(fractions):
        n = N * x
        if abs(n - round(n)) > 1e-9:
            raise ValueError(f"N = {N} is incompatible with the composition {tuple(fractions)}: "
                             f"species {k + 1} would have {n:g} particles")
        counts.append(int(round(n)))
    if sum(counts) != N:
        raise ValueError(f"composition {tuple(fractions)} does not sum to 1")
    return counts


def box_length(N: int, density: float, dim: int = 3) -> float:
    """Side L of a cubic (square) box with N / L^D = density."""
    return (N / density) ** (1.0 / dim)


def density_from_packing_fraction(phi: float, diameters, fractions, dim: int = 3) -> float:
    """Number density for packing fraction phi = rho * sum_a x_a v_D(d_a), v_D = ball volume."""
    d = np.asarray(diameters, float)
    x = np.asarray(fractions, float)
    ball = math.pi / 6.0 * d**3 if dim == 3 else math.pi / 4.0 * d**2
    return phi / float(np.sum(x * ball))


def sample_seed(base: int, *keys) -> int:
    """Deterministic seed in [1, 9e8) from a base seed and the keys naming a sample."""
    h = hashlib.sha256(repr((int(base),) + tuple(str(k) for k in keys)).encode()).digest()
    return 1 + int.from_bytes(h[:8], "little") % 899_999_999
