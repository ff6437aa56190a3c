"""Benchmark: is the glass's MD/theory lifetime ratio (~0.8, README P3) an artefact of how tau_k is
read off a noisy C_k(t)?

The library's tau_k is the first crossing of C_k = e^-1 (P3). A first passage of a noisy, slowly
decaying curve is biased early, which would lower MD/theory by a T-independent factor when run
lengths scale with tau ~ 1/T. This script reads a state directory written by
``benchmarks/p3_lifetimes.py`` (IS0.lammpstrj, the MD dump with velocities, modes.parquet with the
theory's tau_theory) and compares, per frequency band, the geometric-mean ratio tau_MD/tau_theory
for four estimators of tau_MD:
  cross     first crossing of e^-1 per mode (the library's definition);
  fit       -1/slope of ln C_k(t) on the first stretch with 0.2 < C_k < 0.9 (least squares);
  integral  integral of C_k(t) up to its first drop below 0.05;
  band C    the first e^-1 crossing of the band-averaged C (noise reduced by ~sqrt(modes)).
If the four agree, the ratio is not an estimator bias.

Run: python benchmarks/p3_tau_estimators.py /tmp/p3/glass_N256_T0.01 --dump free_traj.lammpstrj
     (the directory and dump of a p3_lifetimes.py run; --dt is read from its frames table)
"""
from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

from glasstools.analysis import mode_lifetimes as ml
from glasstools.analysis.dynamics import relaxation_time
from glasstools.analysis.harmonic import normal_modes
from glasstools.config import p3_models
from glasstools.geometry import unwrap_to
from glasstools.io import read_table
from glasstools.lammps.dump import iter_dump, read_dump

E_1 = math.exp(-1.0)


def crossing(t, c):
    r = relaxation_time(t, c, E_1)
    return r.tau if r.reached else math.nan


def exp_fit(t, c, lo=0.2, hi=0.9):
    end = int(np.argmax(c < lo)) if np.any(c < lo) else len(c)
    m = (c[:end] > lo) & (c[:end] < hi)
    if m.sum() < 3:
        return math.nan
    return -1.0 / np.polyfit(t[:end][m], np.log(c[:end][m]), 1)[0]


def integral(t, c, floor=0.05):
    end = int(np.argmax(c < floor)) if np.any(c < floor) else len(c)
    return float(np.trapezoid(c[:end], t[:end]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("state", type=Path, help="a <kind>_N<N>_T<T> directory of benchmarks/p3_lifetimes.py")
    ap.add_argument("--dump", default="traj.lammpstrj", help="MD dump in it (free_traj.lammpstrj for a run "
                    "whose lifetimes use the event-free start)")
    ap.add_argument("--kind", default="glass", choices=["glass", "crystal"])
    ap.add_argument("--band", type=float, default=5.0)
    a = ap.parse_args()
    d = a.state
    model = p3_models({"model_params": {}})[a.kind]
    ref = read_dump(d / "IS0.lammpstrj")
    omega, vectors = normal_modes(ref, model)
    modes, _ = read_table(d / "modes.parquet")
    if not np.allclose(modes["omega"], omega, rtol=1e-8):
        raise SystemExit(f"{d}/modes.parquet is not of this IS")
    pos, vel = [], []
    for fr in iter_dump(d / a.dump):
        pos.append(fr.unwrapped())
        vel.append(fr.velocities)
    pos = np.asarray(pos)
    frames, _ = read_table(d / ("free_frames.parquet" if a.dump.startswith("free") else "frames.parquet"))
    dt = float(np.median(np.diff(frames["t"])))
    A, Ad = ml.mode_amplitudes(pos, np.asarray(vel), unwrap_to(pos[0], ref.positions, ref.box_len), vectors)
    C, _ = ml.energy_autocorrelation(ml.mode_energies(A, Ad, omega), (len(pos) - 1) // 2)
    t = dt * np.arange(C.shape[0])
    est = {name: np.array([f(t, C[:, k]) for k in range(C.shape[1])])
           for name, f in (("cross", crossing), ("fit", exp_fit), ("integral", integral))}
    th = modes["tau_theory"].to_numpy()
    print(f"{d}: {len(pos)} frames every {dt:g} (run {len(pos) * dt:g}); ratio = gmean tau_MD / gmean tau_theory")
    print("band      modes  cross  fit    integral  band C")
    for lo in np.arange(0.0, omega.max(), a.band):
        k = (omega >= lo) & (omega < lo + a.band) & np.isfinite(th)
        if not k.any():
            continue
        row = [ml.geometric_mean(est[n][k]) / ml.geometric_mean(th[k]) for n in ("cross", "fit", "integral")]
        row.append(crossing(t, np.nanmean(C[:, k], axis=1)) / ml.geometric_mean(th[k]))
        print(f"{lo:4g}-{lo + a.band:<4g} {k.sum():5d}  " + "  ".join(f"{r:.3f}" for r in row))


if __name__ == "__main__":
    main()
