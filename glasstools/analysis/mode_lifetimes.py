"""Lifetimes of the normal modes of a fixed inherent structure, measured in MD (P3 Sec. II D).

Source: Mizuno, Tong, Ikeda, Mossa, J. Chem. Phys. 153, 154501 (2020) (P3), Sec. II D, Eqs. (8)-(9),
Figs. 2-3, S5-S6; SCIENCE_P3_P4 §1.3. Valid for runs whose IS does not change (Table I "No").
Masses 1, reduced units (ω in (ε/mσ²)^{1/2}, E in ε, t in (mσ²/ε)^{1/2}). Pure functions over arrays:
``positions``/``velocities`` (frames, N, D) equally spaced in time, eigenvectors (DN, K) as columns,
unit-normalised over all DN components, translations excluded.

* A_k(t) = [r(t) − r_IS]·e_k, Ȧ_k(t) = v(t)·e_k (m = 1); r(t) unwrapped and r_IS in the same
  periodic images (``geometry.unwrap_to(r(0), r_IS)``).
* Eq. (8): E_k(t) = ½ ω_k² A_k² + ½ Ȧ_k² (potential + kinetic energy of mode k).
* Equipartition (Fig. S5): the time average ⟨E_k⟩ = T (classical, harmonic limit); checked per
  frequency bin (mean of ⟨E_k⟩/T over the modes of the bin, error = std / √n).
* Eq. (9): C_k(t) = ⟨δE_k(t) δE_k(0)⟩ / ⟨δE_k²⟩, δE_k = E_k − ⟨E_k⟩, averaged over all time origins
  (FFT with zero padding: no circular wrap-around; lag t uses the F − t/Δt origins available).
* τ_k: C_k(τ_k) = e⁻¹ (P3), first crossing, linear interpolation in ln t
  (``analysis.dynamics.relaxation_time``). ``decayed`` is False where C_k stays above e⁻¹ up to the
  largest lag (τ_k > that lag: a lower bound), where E_k does not fluctuate at all (a harmonic
  mode keeps its energy: var(E_k) <= (``FLAT_RTOL`` ⟨E_k⟩)²), or where E_k has not explored its
  equilibrium distribution: a classical mode in equilibrium has an exponential E_k distribution,
  var(E_k) = T², and only the energy exchange between modes (the lifetime) makes E_k wander over
  it. A run much shorter than τ_k sees only the fast non-resonant anharmonic wiggles of E_k, whose
  normalised C_k drops below e⁻¹ within a few vibrations whatever τ_k is (measured: FCC N = 256,
  runs of 20, τ_k^MD ≈ 2.5 at T = 1e-2 and at 1e-3 alike, var(E_k)/T² ≪ 1). So a crossing counts
  only if var(E_k)/T² >= ``MIN_FLUCTUATION`` (0.25); ``tau_crossing`` keeps the raw crossing.
* Binning in ω: bins of width δω = 0.5 (P3 Fig. 2 lines) starting at 0.
* Degenerate multiplets (crystals): the eigenvectors inside a degenerate subspace are an arbitrary
  basis (``eigh``'s), and an anharmonic coupling could rotate energy among degenerate partners
  without any decay, so that the per-mode C_k decays faster than the energy of the multiplet.
  ``multiplets`` groups modes with |ω_{k+1} − ω_k| <= ``DEGENERACY_RTOL`` ω_{k+1} and
  ``multiplet_lifetimes`` gives τ of the multiplet energy Σ_k E_k (basis independent). Measured on
  the FCC crystal (N = 256, T = 0.01 and 0.05, ``benchmarks/p3_lifetimes.py``; README P3, "Why the
  N = 256 crystal disagreed"): the multiplet τ equals the per-mode τ within the noise, i.e. no
  energy rotation among partners; the per-mode τ of the crystal are not biased by the degeneracy.
  A glass has no degeneracy at this tolerance (every multiplet a single mode: the two coincide).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .dynamics import relaxation_time

BIN_WIDTH = 0.5
FLAT_RTOL = 1e-8   # relative fluctuation below which E_k counts as constant (harmonic)
MIN_FLUCTUATION = 0.25  # var(E_k) / T^2 needed for a lifetime (equilibrium: 1)
NO_RESONANCE = 1e-10    # Γ_k below this fraction of the largest Γ is zero up to roundoff
#: relative gap below which two modes count as degenerate: FCC crystals are degenerate to ~1e-12
#: (symmetry), a glass's closest levels are ~1e-3 of ω apart (level repulsion; N = 256: 0 pairs
#: below 1e-6)
DEGENERACY_RTOL = 1e-6


def no_resonance(gamma) -> np.ndarray:
    """True where a three-phonon Γ_k is zero up to roundoff (<= ``NO_RESONANCE`` max Γ): no resonant
    triple inside the δ window (small crystals), τ_k = 1/Γ_k meaningless (~1e20); NaN -> False."""
    g = np.asarray(gamma, float)
    top = np.nanmax(g) if np.isfinite(g).any() else 0.0
    return np.isfinite(g) & (g <= NO_RESONANCE * top)


def mode_amplitudes(positions, velocities, reference, vectors) -> tuple[np.ndarray, np.ndarray]:
    """(A, Ȧ), each (frames, K): A_k(t) = [r(t) − r_IS]·e_k and Ȧ_k = v(t)·e_k (P3 Sec. II D)."""
    pos = np.asarray(positions, float)
    vel = np.asarray(velocities, float)
    ref = np.asarray(reference, float)
    if pos.ndim != 3 or vel.shape != pos.shape or ref.shape != pos.shape[1:]:
        raise ValueError(f"positions {pos.shape} and velocities {vel.shape} must be (frames, N, D) and "
                         f"reference {ref.shape} (N, D)")
    E = np.asarray(vectors, float)
    F, n, d = pos.shape
    if E.shape[0] != n * d:
        raise ValueError(f"vectors have {E.shape[0]} rows, need D N = {n * d}")
    return (pos - ref).reshape(F, n * d) @ E, vel.reshape(F, n * d) @ E


def mode_energies(A, Adot, omega) -> np.ndarray:
    """E_k(t) = ½ ω_k² A_k² + ½ Ȧ_k² (P3 Eq. 8), (frames, K)."""
    w2 = np.asarray(omega, float) ** 2
    return 0.5 * (w2 * np.asarray(A, float) ** 2 + np.asarray(Adot, float) ** 2)


def frequency_bins(omega, width: float = BIN_WIDTH) -> np.ndarray:
    """Bin index floor(ω / width) of each mode (bins [k width, (k+1) width))."""
    if not width > 0:
        raise ValueError(f"bin width must be > 0, got {width}")
    return np.floor(np.asarray(omega, float) / width).astype(int)


def equipartition(E, omega, T: float, width: float = BIN_WIDTH) -> pd.DataFrame:
    """Per ω bin: omega (bin centre), n_modes, ratio = mean over its modes of ⟨E_k⟩_t / T, err =
    std / √n (P3 Fig. S5: ratio = 1)."""
    if not T > 0:
        raise ValueError(f"T must be > 0, got {T}")
    ratio = np.asarray(E, float).mean(axis=0) / T
    df = pd.DataFrame({"bin": frequency_bins(omega, width), "ratio": ratio})
    g = df.groupby("bin")["ratio"]
    out = pd.DataFrame({"n_modes": g.size(), "ratio": g.mean(), "std": g.std(ddof=1)}).reset_index()
    out["err"] = out["std"] / np.sqrt(out["n_modes"])
    out["omega"] = (out["bin"] + 0.5) * width
    return out[["omega", "n_modes", "ratio", "err"]]


def energy_autocorrelation(E, max_lag: int, chunk: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """(C, fluctuates): C (max_lag + 1, K) = C_k(t) of P3 Eq. (9) at lags 0..max_lag frames, averaged
    over every time origin (zero-padded FFT; lag j averages F − j products); ``fluctuates`` (K,)
    False where var(E_k) <= (FLAT_RTOL ⟨E_k⟩)² (then C_k is NaN: no fluctuation to correlate)."""
    E = np.asarray(E, float)
    F, K = E.shape
    if not 0 < max_lag < F:
        raise ValueError(f"max_lag must be in 1..{F - 1} frames, got {max_lag}")
    nfft = 1 << int(math.ceil(math.log2(2 * F)))
    counts = (F - np.arange(max_lag + 1))[:, None]
    C = np.empty((max_lag + 1, K))
    mean = E.mean(axis=0)
    for a in range(0, K, chunk):
        dE = E[:, a:a + chunk] - mean[a:a + chunk]
        spec = np.fft.rfft(dE, n=nfft, axis=0)
        C[:, a:a + chunk] = np.fft.irfft(spec * spec.conj(), n=nfft, axis=0)[: max_lag + 1] / counts
    var = C[0].copy()
    fluctuates = var > (FLAT_RTOL * np.abs(mean)) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        C = np.where(fluctuates, C / np.where(fluctuates, var, 1.0), np.nan)
    return C, fluctuates


def energy_fluctuation(E, T: float) -> np.ndarray:
    """var_t(E_k) / T² per mode (1 for a classical mode whose energy explores its equilibrium
    exponential distribution, 0 for a harmonic mode that keeps its energy)."""
    return np.asarray(E, float).var(axis=0) / T**2


def lifetimes(C, dt: float, fluctuation=None, threshold: float = math.exp(-1.0),
              min_fluctuation: float = MIN_FLUCTUATION) -> pd.DataFrame:
    """Per mode: tau (C_k(tau) = ``threshold``, e⁻¹ in P3; NaN if not decayed), tau_crossing (the
    first crossing, NaN if none), decayed, lower_bound (tau, or the largest lag if not decayed:
    tau > lower_bound). ``dt``: time between frames; ``fluctuation``: var(E_k)/T² per mode
    (``energy_fluctuation``), a crossing counts only where it is >= ``min_fluctuation`` (module
    docstring); None = not checked."""
    C = np.asarray(C, float)
    t = dt * np.arange(C.shape[0])
    ok = (np.ones(C.shape[1], bool) if fluctuation is None
          else np.asarray(fluctuation, float) >= min_fluctuation)
    rows = []
    for k in range(C.shape[1]):
        if not np.isfinite(C[0, k]):
            rows.append((math.nan, math.nan, False, float(t[-1])))
            continue
        r = relaxation_time(t, C[:, k], threshold)
        good = r.reached and ok[k]
        rows.append((r.tau if good else math.nan, r.tau, good, r.tau if good else float(t[-1])))
    return pd.DataFrame(rows, columns=["tau", "tau_crossing", "decayed", "lower_bound"])


def geometric_mean(x) -> float:
    """exp(mean ln x) over the finite, positive values of ``x`` (NaN if none): the band average of
    lifetimes, which span decades in a small crystal (the arithmetic mean is one mode's)."""
    x = np.asarray(x, float)
    x = x[np.isfinite(x) & (x > 0)]
    return float(np.exp(np.log(x).mean())) if len(x) else math.nan


def binned_lifetimes(omega, tau, decayed, width: float = BIN_WIDTH) -> pd.DataFrame:
    """Per ω bin (P3 Fig. 2 lines): omega (centre), n_modes, n_decayed, tau_mean and tau_median over
    the decayed modes (NaN if none), tau_gmean (geometric mean)."""
    df = pd.DataFrame({"bin": frequency_bins(omega, width), "tau": np.asarray(tau, float),
                       "decayed": np.asarray(decayed, bool)})
    rows = []
    for b, g in df.groupby("bin"):
        tt = g["tau"][g["decayed"]].to_numpy()
        rows.append({"omega": (b + 0.5) * width, "n_modes": len(g), "n_decayed": len(tt),
                     "tau_mean": float(tt.mean()) if len(tt) else math.nan,
                     "tau_median": float(np.median(tt)) if len(tt) else math.nan,
                     "tau_gmean": geometric_mean(tt)})
    return pd.DataFrame(rows, columns=["omega", "n_modes", "n_decayed", "tau_mean", "tau_median",
                                       "tau_gmean"])


def multiplets(omega, rtol: float = DEGENERACY_RTOL) -> np.ndarray:
    """Multiplet label (0, 1, ...) of each mode of ascending ``omega``: consecutive modes with
    ω_{k+1} − ω_k <= ``rtol`` ω_{k+1} share a label (degenerate subspace; module docstring)."""
    om = np.asarray(omega, float)
    if om.ndim != 1 or np.any(np.diff(om) < 0):
        raise ValueError("omega must be a 1-D ascending array (harmonic.normal_modes)")
    if not rtol >= 0:
        raise ValueError(f"rtol must be >= 0, got {rtol}")
    return np.concatenate([[0], np.cumsum(np.diff(om) > rtol * np.abs(om[1:]))]).astype(int)


def multiplet_lifetimes(E, omega, T: float, dt: float, max_lag: int,
                        rtol: float = DEGENERACY_RTOL) -> pd.DataFrame:
    """Per degenerate multiplet (``multiplets``): omega (mean), size, first (first mode index),
    e_mean_over_T (⟨Σ E_k⟩ / (size T)), tau / tau_crossing / decayed / lower_bound of the
    autocorrelation of the multiplet energy Σ_k E_k (``energy_autocorrelation``, ``lifetimes``;
    the fluctuation check uses var(Σ E_k) / (size T²), 1 for independent modes in equilibrium).
    Σ E_k does not depend on the basis chosen inside the subspace."""
    E = np.asarray(E, float)
    labels = multiplets(omega, rtol)
    size = np.bincount(labels)
    first = np.concatenate([[0], np.cumsum(size)[:-1]])
    em = np.add.reduceat(E, first, axis=1)
    C, _ = energy_autocorrelation(em, max_lag)
    life = lifetimes(C, dt, em.var(axis=0) / (size * T**2))
    om = np.add.reduceat(np.asarray(omega, float), first) / size
    return pd.DataFrame({"omega": om, "size": size, "first": first,
                         "e_mean_over_T": em.mean(axis=0) / (size * T), **{c: life[c] for c in life}})
