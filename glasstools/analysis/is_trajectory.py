"""Inherent-structure (IS) trajectories along MD: jumps between basins and their displacement fields.

Source: Mizuno, Tong, Ikeda, Mossa, J. Chem. Phys. 153, 154501 (2020) (P3), Sec. II C, Eqs. (5)-(7),
Figs. 5-9; SCIENCE_P3_P4 §1.3. r_IS(t) is the IS (FIRE minimum) of the MD configuration at t; the lag
between successive IS is Δt (P3: 0.1). Pure functions over arrays: IS positions (N, D) wrapped or
not (every difference is taken in the minimum image of the orthogonal box ``box_len``), energies in
ε, lengths in σ.

* displacement field (P3 Sec. II C): Δr_IS,i(t) = r_IS,i(t) − r_IS,i(t − Δt);
* Eq. (5): |Δr_IS(t)| = (Σ_i |Δr_IS,i|²)^{1/2} (not normalised by N);
* Eq. (6): |ΔΦ_IS(t)| = |Φ_IS(t) − Φ_IS(t − Δt)| (extensive);
* Eq. (7): N_rearr = [Σ_i |Δr_IS,i|²]² / Σ_i |Δr_IS,i|⁴ (N times the participation ratio: 1 for
  one moving particle, N for a uniform field);
* Fig. 8: |r_IS(t) − r_IS(0)| with the norm of Eq. (5); Fig. 9: ΔΦ_IS(t) = Φ_IS(t) − Φ_IS(0);
* Fig. 7(b): far field |Δr_IS,i| ∝ r^−a, r = minimum-image distance from the most displaced
  particle ("1") in the IS before the event; ``far_field_exponent`` fits a by least squares of
  log |Δr_IS,i| against log r over r in a stated window (P3 gives none; default
  ``FAR_FIELD_WINDOW``). P3 measures a = 2.7 for one event and 2.5-3 over all runs; an elastic
  (Eshelby) far field would give a = 2.

Whole runs at a fraction of the cost (``strided_minima``): the IS of every ``stride``-th frame
(and of the last); where two successive ones differ (``is_changed``), the frames between them are
bisected until each change sits between two adjacent frames (lag Δt), so every event is seen with
P3's lag and costs ≈ log2(stride) extra minimisations. A change undone within stride·Δt (IS A ->
B -> A between two strided frames) is not seen: ``stride`` is stated with every table.

Events (P3 calls a step a transition iff |Δr_IS| and |ΔΦ_IS| are non-zero; a computer needs numbers):
a step is an event when |Δr_IS| > ``EVENT_THRESHOLD`` = 1e-3 σ and |ΔΦ_IS| > ``ENERGY_THRESHOLD`` =
1e-6 ε (``analysis.is_transitions.is_jumps``, the same criterion as P4's IS transitions).
Justification: the minimiser's scatter between successive IS of one basin is set by the force
tolerance, |δr| ≲ √N ftol / λ_min, measured ~1e-10 σ and ~1e-10 ε (N = 256, FIRE, ftol = 1e-10;
the ``noise_floor`` of every run is stored); the smallest real events in P3 have |Δr_IS| ≈ 0.1 σ
(Fig. 5a). 1e-3 sits 7 decades above the noise and 2 below the smallest event.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..geometry import displacements, distances_from

EVENT_THRESHOLD = 1.0e-3            # sigma, on |Δr_IS| (Eq. 5)
ENERGY_THRESHOLD = 1.0e-6           # epsilon, on |ΔΦ_IS| (Eq. 6)
FAR_FIELD_WINDOW = (2.0, None)      # r range of the r^-a fit; None = L/2 (minimum image)


def displacement_field(previous, current, box_len) -> np.ndarray:
    """Δr_IS,i = r_IS,i(t) − r_IS,i(t − Δt), (N, D), minimum image (P3 Sec. II C)."""
    return displacements(previous, current, box_len)


def field_norm(field) -> float:
    """(Σ_i |Δr_i|²)^{1/2}: |Δr_IS(t)| of P3 Eq. (5) and |r_IS(t) − r_IS(0)| of Fig. 8."""
    f = np.asarray(field, float)
    return float(math.sqrt(np.einsum("nd,nd->", f, f)))


def participation_number(field) -> float:
    """N_rearr = [Σ_i |Δr_i|²]² / Σ_i |Δr_i|⁴ (P3 Eq. 7); NaN for a zero field."""
    f = np.asarray(field, float)
    s2 = np.einsum("nd,nd->n", f, f)
    s4 = float(np.sum(s2 * s2))
    return float(np.sum(s2) ** 2 / s4) if s4 > 0 else math.nan


def far_field_exponent(field, positions, box_len, window=FAR_FIELD_WINDOW) -> dict:
    """Fit |Δr_i| / |Δr_1| ∝ r^−a (P3 Fig. 7b) around the most displaced particle "1".

    ``field`` the displacement field (N, D), ``positions`` the IS before the event (N, D), r the
    minimum-image distance from particle 1, ``window`` = (r_min, r_max) with r_max None = L/2.
    Least squares of log(|Δr_i|/|Δr_1|) = c − a log r over the particles with r_min <= r <= r_max
    (``power_law_fit``). Returns centre (index of particle 1), a, a_err (standard error of the
    slope), c, r_min, r_max, n_fit; a is NaN with fewer than 3 particles in the window."""
    f = np.asarray(field, float)
    mag = np.sqrt(np.einsum("nd,nd->n", f, f))
    centre = int(np.argmax(mag))
    r = distances_from(positions, box_len, centre)
    r_max = 0.5 * float(np.min(box_len)) if window[1] is None else float(window[1])
    return {"centre": centre, **power_law_fit(r, mag / mag[centre], (window[0], r_max))}


def power_law_fit(r, ratio, window) -> dict:
    """Least squares of log(ratio) = c − a log r over the points with r_min <= r <= r_max and
    ratio > 0 (``window`` = (r_min, r_max)): r_min, r_max, n_fit, a, a_err (standard error of the
    slope), c; a is NaN with fewer than 3 points. Used on a displacement field's profile
    (``field_profile``) for the far-field exponent."""
    r, ratio = np.asarray(r, float), np.asarray(ratio, float)
    r_min, r_max = float(window[0]), float(window[1])
    sel = (r >= r_min) & (r <= r_max) & (ratio > 0)
    out = {"r_min": r_min, "r_max": r_max, "n_fit": int(sel.sum()), "a": math.nan, "a_err": math.nan, "c": math.nan}
    if out["n_fit"] < 3:
        return out
    x, y = np.log(r[sel]), np.log(ratio[sel])
    A = np.column_stack([np.ones_like(x), x])
    coef, res, *_ = np.linalg.lstsq(A, y, rcond=None)
    resid = y - A @ coef
    dof = max(len(x) - 2, 1)
    var = float(resid @ resid) / dof * np.linalg.inv(A.T @ A)[1, 1]
    out.update(a=float(-coef[1]), a_err=float(math.sqrt(var)), c=float(coef[0]))
    return out


def field_profile(field, positions, box_len, centre: int) -> pd.DataFrame:
    """Per particle: r from ``centre`` (minimum image) and |Δr_i| / |Δr_centre| (P3 Fig. 7b)."""
    f = np.asarray(field, float)
    mag = np.sqrt(np.einsum("nd,nd->n", f, f))
    return pd.DataFrame({"r": distances_from(positions, box_len, centre), "ratio": mag / mag[centre]})


def step_row(previous, current, first, box_len, energy_previous: float, energy: float,
             energy_first: float) -> dict:
    """Observables of one IS step (t − Δt -> t): dr (Eq. 5), dphi = Φ_IS(t) − Φ_IS(t − Δt)
    (|dphi| is Eq. 6), n_rearr (Eq. 7), dr_from_0 = |r_IS(t) − r_IS(0)| (Fig. 8),
    dphi_from_0 = Φ_IS(t) − Φ_IS(0) (Fig. 9)."""
    field = displacement_field(previous, current, box_len)
    return {"dr": field_norm(field), "dphi": energy - energy_previous,
            "n_rearr": participation_number(field),
            "dr_from_0": field_norm(displacement_field(first, current, box_len)),
            "dphi_from_0": energy - energy_first}


def is_changed(a_positions, b_positions, a_energy: float, b_energy: float, box_len,
               threshold: float = EVENT_THRESHOLD, energy_threshold: float = ENERGY_THRESHOLD) -> bool:
    """Whether two IS differ: |Δr_IS| > ``threshold`` or |ΔΦ_IS| > ``energy_threshold`` (either
    one: an event needs both, a change of either is worth locating)."""
    return (abs(b_energy - a_energy) > energy_threshold
            or field_norm(displacement_field(a_positions, b_positions, box_len)) > threshold)


def strided_minima(frames, quench, changed, stride: int) -> list[tuple]:
    """IS of a stream of frames: ``quench(frame)`` of every ``stride``-th frame (index 0, stride,
    2 stride, ...) and of the last one; between two of them whose results differ
    (``changed(r_a, r_b)``), bisection: the middle frame is minimised and each half whose ends
    differ is bisected again, down to adjacent frames. Returns [(index, result)] in frame order.
    ``frames`` is read once, keeping at most ``stride`` - 1 frames in memory."""
    stride = int(stride)
    if stride < 1:
        raise ValueError(f"stride must be an integer >= 1, got {stride}")

    def bisect(lo, hi, between):
        if not between or not changed(lo[1], hi[1]):
            return []
        k = len(between) // 2
        mid = (between[k][0], quench(between[k][1]))
        return bisect(lo, mid, between[:k]) + [mid] + bisect(mid, hi, between[k + 1:])

    out, between = [], []
    for index, frame in enumerate(frames):
        if index % stride:
            between.append((index, frame))
            continue
        node = (index, quench(frame))
        out += (bisect(out[-1], node, between) if out else []) + [node]
        between = []
    if between:                       # the last frame, if it is not on the stride
        node = (between[-1][0], quench(between[-1][1]))
        out += bisect(out[-1], node, between[:-1]) + [node]
    return out


def rearrangements(steps: pd.DataFrame) -> dict:
    """Summary of an IS trajectory table (rows of ``step_row`` with t and a boolean ``event``):
    number of events, whether the run rearranges (P3 Table I "Yes"/"No"), the largest dr and
    |dphi| of an event, the noise floor (largest dr of a non-event step) and the duration."""
    dr = steps["dr"].to_numpy(float)
    ev = steps["event"].to_numpy(bool)
    quiet = dr[~ev & np.isfinite(dr)]
    return {"events": int(ev.sum()), "rearranges": bool(ev.any()),
            "max_dr": float(dr[ev].max()) if ev.any() else math.nan,
            "max_abs_dphi": float(np.abs(steps["dphi"].to_numpy(float)[ev]).max()) if ev.any() else math.nan,
            "noise_floor": float(quiet.max()) if len(quiet) else math.nan,
            "t_total": float(steps["t"].max()) if len(steps) else 0.0, "steps": int(len(steps))}
