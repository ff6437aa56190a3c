"""Transitions between inherent structures along an MD trajectory (P4 Sec. III C, Fig. 5).

Every frame of an MD run, sampled every ``interval`` time units, is quenched to its IS; a
*transition* between consecutive frames k-1 -> k is counted when the IS energy jumps,

    |U_IS(k) - U_IS(k-1)| > e_tol                        (P4: "counting the number of jumps in U_IHS")

and, when the IS positions are given, also the IS moved, |r_IS(k) - r_IS(k-1)| > r_tol with the
3N-norm of P3 Eq. (5) (minimum image). The tolerances sit above the minimiser's noise (two
quenches into one IS agree in energy to ~1e-10 at ftol = 1e-10) and below the smallest real
event (P3 Fig. 5: |Delta r_IS| ~ 0.1).

Rate: Gamma = (number of transitions) / (observed time), and P4's reduced, size-independent form

    Gamma t_ballistic N_0 / N,   N_0 = 1000,   t_ballistic ~ 0.1 t_0   (P4 Fig. 5b)

(jumps per unit time grow with N, one jump's energy does not). Several jumps inside one
sampling interval count once, so the measured rate is capped at one per interval: the reduced
cap t_ballistic N_0 / (N interval) is reported with every rate, and ``saturated`` flags a run in
which every interval had a jump (then the rate is only a lower bound).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from .is_trajectory import displacement_field, field_norm

#: P4's reference system size of the reduced rate
N0 = 1000


def is_jumps(energies, e_tol: float, displacements=None, r_tol: float | None = None) -> np.ndarray:
    """Boolean array (len(energies) - 1): a transition between IS k-1 and k (module docstring).

    ``energies``: U_IS of consecutive frames (total, not per particle); ``displacements``:
    optional (frames - 1,) norms |r_IS(k) - r_IS(k-1)| (3N-norm), used with ``r_tol``."""
    e = np.asarray(energies, float)
    if e.ndim != 1 or len(e) < 2:
        raise ValueError("energies must be a 1-D sequence of at least two IS energies")
    if not e_tol > 0:
        raise ValueError(f"e_tol must be > 0, got {e_tol}")
    jump = np.abs(np.diff(e)) > e_tol
    if displacements is not None:
        d = np.asarray(displacements, float)
        if d.shape != jump.shape:
            raise ValueError(f"displacements must have {len(jump)} entries (frames - 1), got {d.shape}")
        if r_tol is None or not r_tol > 0:
            raise ValueError(f"r_tol must be > 0 with displacements, got {r_tol}")
        jump &= d > r_tol
    return jump


@dataclass
class TransitionRate:
    n_transitions: int
    n_intervals: int
    interval: float          # sampling interval (time units)
    duration: float          # observed time = n_intervals * interval
    rate: float              # transitions per unit time (N-particle system)
    reduced_rate: float      # rate * t_ballistic * N0 / N
    reduced_cap: float       # t_ballistic * N0 / (N * interval): the largest measurable value
    saturated: bool          # every interval had a transition (rate is a lower bound)
    t_ballistic: float
    N: int

    def row(self) -> dict:
        return asdict(self)


def transition_rate(jumps, interval: float, N: int, t_ballistic: float) -> TransitionRate:
    """Rate of IS transitions from ``is_jumps`` output sampled every ``interval``, in P4's
    reduced units Gamma t_ballistic N0 / N (module docstring)."""
    jumps = np.asarray(jumps, bool)
    for name, v in (("interval", interval), ("t_ballistic", t_ballistic)):
        if not v > 0:
            raise ValueError(f"{name} must be > 0, got {v}")
    if N < 1 or len(jumps) < 1:
        raise ValueError("need N >= 1 and at least one sampling interval")
    n, m = int(jumps.sum()), len(jumps)
    rate = n / (m * interval)
    scale = t_ballistic * N0 / N
    return TransitionRate(n, m, float(interval), m * float(interval), rate, rate * scale,
                          scale / interval, bool(n == m), float(t_ballistic), int(N))


def transitions(energies, is_positions, box_len, interval: float, e_tol: float, r_tol: float, N: int,
                t_ballistic: float) -> tuple[pd.DataFrame, TransitionRate]:
    """IS transitions along an MD run whose frames, every ``interval``, were quenched to IS of total
    energies ``energies`` and positions ``is_positions`` (frames, N, D): the table (t, e_is = U_IS/N,
    dr_is = |r_IS(k) - r_IS(k-1)| (3N-norm, minimum image, P3 Eq. (5); 0 at k = 0), jump k-1 -> k
    (``is_jumps`` with both tolerances)) and the ``transition_rate``."""
    e = np.asarray(energies, float)
    dr = np.array([field_norm(displacement_field(a, b, box_len)) for a, b in zip(is_positions[:-1], is_positions[1:])])
    jumps = is_jumps(e, e_tol, dr, r_tol)
    table = pd.DataFrame({"t": np.arange(len(e)) * interval, "e_is": e / N, "dr_is": np.concatenate([[0.0], dr]),
                          "jump": np.concatenate([[False], jumps])})
    return table, transition_rate(jumps, interval, N, t_ballistic)
