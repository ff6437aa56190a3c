"""Continuous polydisperse systems: diameter sampling, packing fraction, LAMMPS data files.

Diameter distribution of P0 (Nishikawa et al. PRX 2022) and P2 (Scalliet et al. 2019), after
Ninarello, Berthier, Coslovich, PRX 7, 021039 (2017):

    f(d) = A d^-3 on [d_min, d_max],  A = 2 / (d_min^-2 - d_max^-2),  r = d_min / d_max.

Moments: <d> = 2 d_min d_max / (d_min + d_max) = 2 d_min / (1 + r), so <d> = 1 fixes
d_min = (1 + r)/2; <d^2> = A ln(1/r). P0: r = 0.449 -> polydispersity
Delta = sqrt(<d^2> - <d>^2)/<d> = 0.2298 (the paper's 0.23); P2: r = 0.45 -> 0.2286.
Sampling is by the inverse CDF, d = [d_min^-2 - u (d_min^-2 - d_max^-2)]^-1/2, u ~ U(0, 1).

Every number that reaches LAMMPS (diameters, box length) is computed with operations that IEEE 754
rounds exactly (+, -, *, /, sqrt) or with scalar libm calls, never with numpy's vectorised power/exp:
numpy picks those kernels at run time by CPU (AVX-512 vs AVX2), and they differ in the last bit
(measured: ``u ** -0.5`` over 10^6 numbers and the P0 quantile diameters changed when numpy's AVX-512
kernels were disabled), which long chaotic MD then amplifies into a different sample.

Packing fraction of a diameter set in a volume V (D = 3: balls pi d^3/6; D = 2: discs pi d^2/4):
phi = (1/V) sum_i v_D(s d_i), with an effective-diameter factor s. P2 defines the WCA packing
fraction as phi = sqrt(2) pi/(6V) sum_i sigma_i^3, which is exactly s = 2^(1/6) (the WCA
cutoff, (2^(1/6))^3 = sqrt(2)); soft and harmonic spheres use s = 1.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

#: d_min / d_max of P0 (soft spheres) and P2 (WCA)
RATIO_P0 = 0.449
RATIO_P2 = 0.45
#: effective-diameter factor s in phi = sum v_D(s d_i) / V for P2's WCA definition
WCA_PHI_SCALE = 2.0 ** (1.0 / 6.0)


def diameter_bounds(ratio: float, mean: float = 1.0) -> tuple[float, float]:
    """(d_min, d_max) of f(d) ~ d^-3 with d_min/d_max = ``ratio`` and mean diameter ``mean``."""
    if not 0.0 < ratio < 1.0:
        raise ValueError(f"d_min/d_max must be in (0, 1), got {ratio}")
    d_min = 0.5 * (1.0 + ratio) * mean
    return d_min, d_min / ratio


def analytic_moments(ratio: float, mean: float = 1.0) -> dict:
    """Exact <d>, <d^2>, <d^3> and polydispersity of f(d) ~ d^-3 (see module docstring)."""
    lo, hi = diameter_bounds(ratio, mean)
    a = 2.0 / (lo**-2 - hi**-2)
    m1 = a * (1.0 / lo - 1.0 / hi)
    m2 = a * math.log(hi / lo)
    m3 = a * (hi - lo)
    return {"d_min": lo, "d_max": hi, "mean": m1, "mean_sq": m2, "mean_cube": m3,
            "polydispersity": math.sqrt(m2 - m1 * m1) / m1}


def sample_diameters(n: int, seed: int, ratio: float = RATIO_P0, mean: float = 1.0) -> np.ndarray:
    """``n`` diameters drawn independently from f(d) ~ d^-3 (numpy PCG64 seeded by ``seed``)."""
    lo, hi = diameter_bounds(ratio, mean)
    u = np.random.default_rng(seed).random(n)
    return _inverse_cdf(u, lo, hi)


def quantile_diameters(n: int, seed: int, ratio: float = RATIO_P0, mean: float = 1.0) -> np.ndarray:
    """The n midpoint quantiles of f(d) ~ d^-3 on [d_min, d_max] (d_min/d_max = ``ratio``,
    <d> = ``mean``): d_k = [d_min^-2 - u_k (d_min^-2 - d_max^-2)]^-1/2, u_k = (k - 1/2)/n,
    shuffled with numpy PCG64(seed) (the same stream ``sample_diameters`` uses)."""
    lo, hi = diameter_bounds(ratio, mean)
    u = (np.arange(n) + 0.5) / n
    return np.random.default_rng(seed).permutation(_inverse_cdf(u, lo, hi))


def _inverse_cdf(u, lo: float, hi: float) -> np.ndarray:
    """d = [d_min^-2 - u (d_min^-2 - d_max^-2)]^-1/2 with exactly rounded operations only
    (1/sqrt, not ``** -0.5``: identical bits on every CPU, see the module docstring)."""
    a = 1.0 / (lo * lo)
    b = a - 1.0 / (hi * hi)
    return 1.0 / np.sqrt(a - np.asarray(u, float) * b)


def polydispersity(diameters) -> float:
    """Delta = sqrt(<d^2> - <d>^2) / <d> of a diameter set."""
    d = np.asarray(diameters, float)
    return float(d.std() / d.mean())


def _ball(d, dim):
    d = np.asarray(d, float)
    if dim == 3:
        return math.pi / 6.0 * (d * d * d)
    if dim == 2:
        return math.pi / 4.0 * (d * d)
    raise ValueError(f"dim must be 2 or 3, got {dim}")


def packing_fraction(diameters, volume: float, dim: int = 3, scale: float = 1.0) -> float:
    """phi = (1/V) sum_i v_D(scale * d_i); ``scale = WCA_PHI_SCALE`` gives P2's WCA phi."""
    return float(np.sum(_ball(scale * np.asarray(diameters, float), dim)) / volume)


def volume_for_packing_fraction(diameters, phi: float, dim: int = 3, scale: float = 1.0) -> float:
    """Volume V with packing_fraction(diameters, V) = phi."""
    if phi <= 0:
        raise ValueError(f"packing fraction must be > 0, got {phi}")
    return float(np.sum(_ball(scale * np.asarray(diameters, float), dim)) / phi)


def density_for_packing_fraction(diameters, phi: float, dim: int = 3, scale: float = 1.0) -> float:
    """Number density N/V of the diameter set at packing fraction phi."""
    return len(diameters) / volume_for_packing_fraction(diameters, phi, dim, scale)


def packing_fraction_for_density(diameters, density: float, dim: int = 3, scale: float = 1.0) -> float:
    """Packing fraction of the diameter set at number density N/V = ``density``."""
    return packing_fraction(diameters, len(diameters) / density, dim, scale)


def random_positions(n: int, box_len: float, seed: int, dim: int = 3) -> np.ndarray:
    """Uniform random positions in [0, L)^D (T = infinity start; overlaps removed by minimisation)."""
    return np.random.default_rng(seed).random((n, dim)) * box_len


def write_lammps_data(path, positions, diameters, box_len, dim: int = 3, types=None) -> Path:
    """LAMMPS data file for ``atom_style sphere``: ``id type diameter density x y z``.

    The per-atom density is 1 / v_D(d) so that masses are 1 (up to rounding; decks also run
    ``set group all mass 1.0``). Values are written with 17 significant digits. Box [0, L)^D
    (2D: z in [-0.5, 0.5]). Written atomically (temporary file + rename).
    """
    path = Path(path)
    pos = np.asarray(positions, float)
    d = np.asarray(diameters, float)
    n = len(d)
    if pos.shape != (n, dim):
        raise ValueError(f"positions must have shape ({n}, {dim}), got {pos.shape}")
    t = np.ones(n, int) if types is None else np.asarray(types, int)
    rho = 1.0 / _ball(d, dim)
    z = pos[:, 2] if dim == 3 else np.zeros(n)
    L = repr(float(box_len))
    lines = ["LAMMPS data file (glasstools, atom_style sphere)", "",
             f"{n} atoms", f"{int(t.max())} atom types", "",
             f"0 {L} xlo xhi", f"0 {L} ylo yhi",
             f"0 {L} zlo zhi" if dim == 3 else "-0.5 0.5 zlo zhi", "", "Atoms # sphere", ""]
    cols = np.column_stack([d, rho, pos[:, 0], pos[:, 1], z]).tolist()  # Python floats: repr = 17 digits
    lines += [f"{k + 1} {t[k]} " + " ".join(repr(v) for v in row) for k, row in enumerate(cols)]
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n")
    tmp.replace(path)
    return path


def write_random_start(path, N: int, seed: int, *, ratio: float = RATIO_P0, density: float | None = None,
                       phi: float | None = None, phi_scale: float = 1.0, dim: int = 3,
                       sampling: str = "random") -> dict:
    """Sample N diameters and uniform positions (seeded), size the box, write a sphere data file.

    Give either the number ``density`` (P0: 1.02 in 3D, 1.0 in 2D) or the packing fraction
    ``phi`` (with ``phi_scale = WCA_PHI_SCALE`` for P2's WCA definition). Diameters and positions
    use independent streams derived from ``seed``. Returns the state: box length, density,
    phi (scale 1 and the requested scale), polydispersity and the diameter range.
    ``sampling``: "random" (independent draws, ``sample_diameters``) or "quantiles" (the N
    midpoint quantiles in seeded order, ``quantile_diameters``: every sample at the same phi).
    """
    if (density is None) == (phi is None):
        raise ValueError("give exactly one of density or phi")
    samplers = {"random": sample_diameters, "quantiles": quantile_diameters}
    if sampling not in samplers:
        raise ValueError(f"diameter sampling must be 'quantiles' or 'random', got {sampling!r}")
    d = samplers[sampling](N, seed, ratio)
    if phi is not None:
        volume = volume_for_packing_fraction(d, phi, dim, phi_scale)
    else:
        volume = N / density
    box = volume ** (1.0 / dim)
    pos = random_positions(N, box, seed + 1_000_003, dim)
    write_lammps_data(path, pos, d, box, dim)
    return {"N": N, "box_len": box, "density": N / volume, "phi": packing_fraction(d, volume, dim),
            "phi_scaled": packing_fraction(d, volume, dim, phi_scale),
            "polydispersity": polydispersity(d), "d_min": float(d.min()), "d_max": float(d.max()),
            "d_mean": float(d.mean())}
