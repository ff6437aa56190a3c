"""Replica exchange (parallel tempering): temperature ladders and the statistics of a run.

Replica exchange MD (Hukushima & Nemoto, JPSJ 65, 1604 (1996); Sugita & Okamoto, CPL 314, 141
(1999); for KA-LJ Yamamoto & Kob, PRE 61, 5473 (2000); the P1 protocol in SCIENCE_P3_P4.md §3.1)
runs M replicas at temperatures T_0 < T_1 < ... < T_{M-1}; every ``exchange_every`` MD steps
neighbouring temperatures k, k+1 try to swap their configurations (equivalently, the two
walkers swap temperatures) with the Metropolis probability (Hukushima-Nemoto Eq. 6)

    P_acc = min(1, exp(Delta)),   Delta = (1/T_k - 1/T_{k+1}) (E_k - E_{k+1})          (k_B = 1)

where E_k is the total potential energy of the configuration at T_k. This satisfies detailed
balance in the product ensemble prod_k exp(-E_k / T_k), so each temperature keeps its
canonical distribution. Pure functions of arrays here; the LAMMPS side (``temper``, its logs
and the replay of its decisions) is ``glasstools.lammps.replica_exchange``.

Arrays: ``temp_of_walker`` has shape (trials + 1, M): row 0 the start, row t the temperature
index of each walker after exchange trial t (a walker is one configuration, i.e. one LAMMPS
partition, followed through the ladder). ``energies`` (trials + 1, M) are per walker.

- ``geometric_ladder``: T_k = T_min (T_max/T_min)^(k/(M-1)), constant acceptance for a
  constant heat capacity (Kofke, JCP 117, 6911 (2002)); ``check_ladder`` refuses bad ones.
- ``pair_acceptance``: accepted / attempted swaps of each neighbouring pair, and the mean of
  the Metropolis probability min(1, exp(Delta)) over the attempts (same expectation, less noise).
- ``round_trips``: walker passages lowest T -> highest T -> lowest T (Katzgraber, Trebst, Huse,
  Troyer, J. Stat. Mech. P03018 (2006)).
- ``energy_histograms`` / ``histogram_overlap``: P_T(E) per temperature on common bins and the
  overlap sum_bins min(p_k, p_{k+1}) of neighbours (an exchange needs overlapping histograms).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd


def geometric_ladder(T_min: float, T_max: float, replicas: int) -> np.ndarray:
    """T_k = T_min (T_max / T_min)^(k / (replicas - 1)), k = 0 ... replicas - 1 (exact ends)."""
    if replicas < 2:
        raise ValueError(f"replicas = {replicas}: replica exchange needs >= 2 replicas")
    if not (0 < T_min < T_max < math.inf):
        raise ValueError(f"need 0 < T_min < T_max < inf, got T_min = {T_min}, T_max = {T_max}")
    temps = T_min * (T_max / T_min) ** (np.arange(replicas) / (replicas - 1))
    temps[0], temps[-1] = T_min, T_max
    return temps


def check_ladder(temperatures, target: float | None = None, rtol: float = 1e-9) -> int | None:
    """Check a ladder: >= 2 finite temperatures > 0, strictly increasing, with ``target`` on it
    (within ``rtol``). Returns the index of ``target`` (None without one); raises ``ValueError``
    naming what is wrong."""
    temps = [float(t) for t in temperatures]
    if len(temps) < 2:
        raise ValueError(f"temperatures = {temps}: replica exchange needs >= 2 replicas")
    bad = [t for t in temps if not (0 < t < math.inf)]
    if bad:
        raise ValueError(f"temperatures = {temps}: every T must be finite and > 0 (got {bad})")
    drops = [k for k in range(1, len(temps)) if not temps[k] > temps[k - 1]]
    if drops:
        k = drops[0]
        raise ValueError(f"temperatures = {temps}: must increase strictly (T[{k}] = {temps[k]} "
                         f"<= T[{k - 1}] = {temps[k - 1]})")
    if target is None:
        return None
    hits = [k for k, t in enumerate(temps) if abs(t - target) <= rtol * target]
    if not hits:
        raise ValueError(f"target T = {target} is not on the ladder {temps}")
    return hits[0]


def walkers_at(temp_of_walker) -> np.ndarray:
    """Inverse map: ``walker_at[t, k]`` = the walker holding temperature k after trial t."""
    w2t = np.asarray(temp_of_walker)
    out = np.empty_like(w2t)
    rows = np.arange(len(w2t))[:, None]
    out[rows, w2t] = np.arange(w2t.shape[1])[None, :]
    return out


def metropolis_exponent(e_low, e_high, T_low: float, T_high: float):
    """Delta = (1/T_low - 1/T_high) (E_low - E_high) for the configurations currently at
    T_low and T_high (total potential energies, k_B = 1); P_acc = min(1, exp(Delta))."""
    return (1.0 / T_low - 1.0 / T_high) * (np.asarray(e_low) - np.asarray(e_high))


def swapped_pairs(temp_of_walker) -> np.ndarray:
    """``swapped[t - 1, k]``: temperatures k and k+1 exchanged walkers at trial t. Raises if a
    row is not a permutation or a change is not a set of neighbour swaps."""
    w2t = np.asarray(temp_of_walker)
    M = w2t.shape[1]
    if not (np.sort(w2t, axis=1) == np.arange(M)).all():
        raise ValueError("every row of temp_of_walker must be a permutation of 0 ... M-1")
    at = walkers_at(w2t)
    prev, cur = at[:-1], at[1:]
    swapped = (prev[:, :-1] == cur[:, 1:]) & (prev[:, 1:] == cur[:, :-1])
    moved = prev != cur
    explained = np.zeros_like(moved)
    explained[:, :-1] |= swapped
    explained[:, 1:] |= swapped
    if (moved & ~explained).any():
        t = int(np.argwhere(moved & ~explained)[0, 0]) + 1
        raise ValueError(f"trial {t}: temperatures changed by something other than neighbour swaps")
    return swapped


def pair_acceptance(temp_of_walker, attempted, energies, temperatures) -> pd.DataFrame:
    """Per neighbouring pair (k, k+1): attempts, accepted swaps, acceptance = accepted/attempts,
    and ``metropolis_mean`` = <min(1, exp(Delta))> over the attempts, Delta from the energies
    before the trial (``metropolis_exponent``). ``attempted[t - 1, k]``: pair k was tried at
    trial t (LAMMPS temper tries the even or the odd pairs, chosen at random each trial).
    Raises if a pair swapped without being attempted."""
    w2t = np.asarray(temp_of_walker)
    attempted = np.asarray(attempted, bool)
    swapped = swapped_pairs(w2t)
    if (swapped & ~attempted).any():
        t, k = np.argwhere(swapped & ~attempted)[0]
        raise ValueError(f"trial {t + 1}: pair ({k}, {k + 1}) swapped without an attempt")
    T = np.asarray(temperatures, float)
    at = walkers_at(w2t)[:-1]                       # walker at each T before trial t
    e = np.asarray(energies, float)[1:]             # energies at the trial (end of its MD)
    e_at = np.take_along_axis(e, at, axis=1)        # energy of the configuration at T_k
    delta = metropolis_exponent(e_at[:, :-1], e_at[:, 1:], T[:-1], T[1:])
    p = np.minimum(1.0, np.exp(np.minimum(delta, 0.0)))
    n = attempted.sum(axis=0)
    acc = (swapped & attempted).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.DataFrame({
            "pair": np.arange(len(T) - 1), "T_low": T[:-1], "T_high": T[1:],
            "attempts": n, "accepted": acc, "acceptance": acc / n,
            "metropolis_mean": np.where(n > 0, (p * attempted).sum(axis=0) / n, np.nan)})


def round_trips(temp_of_walker, first_trial: int = 0) -> pd.DataFrame:
    """Round trips of each walker through the ladder, from trial ``first_trial`` on.

    A round trip is lowest T -> highest T -> lowest T: the walker's arrivals at the two ends are
    reduced to alternating events (the first arrival after the other end counts), and every
    arrival at the bottom that follows a top arrival which itself followed a bottom arrival ends
    one. Columns: walker, round_trips, half_trips (end-to-end passages, either way),
    mean_round_trip (trials between the bottom arrivals that bracket each round trip; NaN if
    none), trials (length of the record)."""
    w2t = np.asarray(temp_of_walker)[first_trial:]
    top = w2t.shape[1] - 1
    rows = []
    for w in range(w2t.shape[1]):
        path = w2t[:, w]
        ends = [(t, 0 if k == 0 else 1) for t, k in enumerate(path) if k in (0, top)]
        arrivals = [e for j, e in enumerate(ends) if j == 0 or e[1] != ends[j - 1][1]]
        bottoms = [t for t, end in arrivals if end == 0]
        # consecutive bottom arrivals in ``arrivals`` are separated by exactly one top arrival
        durations = np.diff(bottoms)
        rows.append({"walker": w, "round_trips": len(durations),
                     "half_trips": max(len(arrivals) - 1, 0),
                     "mean_round_trip": float(durations.mean()) if len(durations) else math.nan,
                     "trials": len(path) - 1})
    return pd.DataFrame(rows)


def energy_histograms(energies_by_T, bins: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Normalised histograms p_k(E) (sum_bins p_k = 1) of the energies at each temperature on
    common bins spanning all of them: returns (edges (bins + 1,), p (M, bins)).
    ``energies_by_T``: (samples, M) array, column k the energies of the configuration at T_k."""
    e = np.asarray(energies_by_T, float)
    edges = np.linspace(e.min(), e.max(), bins + 1)
    if edges[-1] == edges[0]:
        edges = edges[0] + np.linspace(-0.5, 0.5, bins + 1)
    p = np.stack([np.histogram(e[:, k], edges)[0] for k in range(e.shape[1])]).astype(float)
    return edges, p / p.sum(axis=1, keepdims=True)


def histogram_overlap(p) -> np.ndarray:
    """Overlap sum_bins min(p_k, p_{k+1}) of neighbouring normalised histograms (M - 1,):
    1 for identical, 0 for disjoint distributions."""
    p = np.asarray(p, float)
    return np.minimum(p[:-1], p[1:]).sum(axis=1)


__all__ = ["check_ladder", "energy_histograms", "geometric_ladder", "histogram_overlap",
           "metropolis_exponent", "pair_acceptance", "round_trips", "swapped_pairs", "walkers_at"]
