"""Benchmark: far-field exponent a of IS events in P3's glass at large N (issue 12; P3 Fig. 7b).

For each N: P3's 50:50 r^-12 glass at rho = 1.015 through the library's P3 protocol (liquid at
T = 1 for ``--liquid``, instantaneous quench with the FIRE pre-quench, NVT anneal ``--anneal`` at
T, NVE ``--time`` with dumps every 0.1), then its IS trajectory by stride + bisection
(``inherent_trajectory(stride=)``, frames with t <= ``--is-time``: ``--stride`` 0 = only the first and the last frame, bisected
down to the dump lag wherever the IS changed, so each event is located at lag 0.1 for ~log2(frames)
minimisations). Printed: every event (t, |dr_IS|, dPhi_IS, N_rearr, a with its standard error in
the window [2, L/2]), and for the largest and for the most local event (smallest N_rearr; its two
IS minimised again) a in several fit windows ``--windows`` (``is_trajectory.power_law_fit`` on the
profile |dr_i|/|dr_1| against r). CPU seconds per stage.

Run: nice -n 5 python benchmarks/p3_far_field.py --N 8000 [--T 0.05 --time 10 --out DIR]
     (N = 8000: ~15 CPU-min on one core; N = 2000: ~3)
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from glasstools.analysis import is_trajectory as ist
from glasstools.analysis.is_trajectory import power_law_fit
from glasstools.config import p3_models
from glasstools.io import read_table
from glasstools.lammps.dump import iter_dump, read_dump
from glasstools.lammps.minimise import quench_frames
from glasstools.lammps.protocols import prepare_sample
from glasstools.lammps.vibrations import VibrationSettings, inherent_trajectory, vibration_run
from glasstools.systems import box_length

RHO = 1.015


def window(text, half):
    lo, hi = text.split(",")
    return float(lo), (half if hi in ("", "L/2", "None") else float(hi))


def one(model, N, a, out):
    d = out / f"N{N}"
    d.mkdir(parents=True, exist_ok=True)
    s = VibrationSettings(liquid_time=a.liquid, anneal_time=a.anneal, production_time=a.time)
    cpu = {}
    if not (a.resume and (d / "traj.lammpstrj").exists()):
        c0 = time.process_time()
        prepare_sample(model, N=N, density=RHO, T=s.liquid_T, seed=a.seed, data_out=d / "liquid.data",
                       log=d / "liquid.log", nvt_time=s.liquid_time, nve_time=0.0)
        cpu["liquid"] = time.process_time() - c0
        c0 = time.process_time()
        vibration_run(model, "glass", N=N, density=RHO, T=a.T, seed=a.seed + 1, dump_out=d / "traj.lammpstrj",
                      frames_out=d / "frames.parquet", log=d / "md.log", settings=s, liquid_data=d / "liquid.data")
        cpu["quench+anneal+NVE"] = time.process_time() - c0
    t_is = a.time if a.is_time is None else min(a.is_time, a.time)
    frames = int(round(t_is / s.every)) + 1
    stride = frames - 1 if a.stride == 0 else a.stride
    c0 = time.process_time()
    summary = inherent_trajectory(model, d / "traj.lammpstrj", d, dt=s.dt, stride=stride, t_end=t_is,
                                  log=d / "is.log")
    cpu["IS (stride + bisection)"] = time.process_time() - c0
    half = 0.5 * box_length(N, RHO)
    print(f"\nN = {N} (L/2 = {half:.2f}), T = {a.T:g}: {summary['events']} events in t = {summary['t_total']:g}, "
          f"{summary['minimised']} of {summary['frames']} frames minimised (stride {stride}); CPU s "
          + ", ".join(f"{k} {v:.0f}" for k, v in cpu.items()))
    events, _ = read_table(d / "events.parquet")
    if len(events):
        print(events[["t", "dr", "dphi", "n_rearr", "a", "a_err", "n_fit"]].to_string(
            index=False, float_format=lambda x: f"{x:.3g}"))
    profile, md = read_table(d / "event_field.parquet")
    rows = []
    if len(profile):
        rows += windows(a, N, half, "largest", md["event"], profile)
    if len(events):                  # the most local event: its two IS again, then its profile
        ev = events.loc[events["n_rearr"].idxmin()]
        k = int(round(ev["t"] / s.every))
        before, after = quench_frames(model, [f for j, f in enumerate(iter_dump(d / "traj.lammpstrj")) if j in (k - 1, k)],
                                      "fire", log=d / "local.log")
        box = read_dump(d / "IS0.lammpstrj").box_len
        field = ist.displacement_field(before.positions, after.positions, box)
        centre = ist.far_field_exponent(field, before.positions, box)["centre"]
        rows += windows(a, N, half, "most local", ev, ist.field_profile(field, before.positions, box, centre))
    return rows, events.assign(N=N)


def windows(a, N, half, which, event, profile):
    rows = [{"N": N, "event": which, "event_t": event["t"], "event_dr": event["dr"], "n_rearr": event["n_rearr"],
             **power_law_fit(profile["r"], profile["ratio"], window(w, half))} for w in a.windows]
    print(f"{which} event (t = {event['t']:g}, |dr_IS| = {event['dr']:.3g}, N_rearr = {event['n_rearr']:.0f}): "
          "a by fit window")
    print(pd.DataFrame(rows)[["r_min", "r_max", "n_fit", "a", "a_err"]].to_string(
        index=False, float_format=lambda x: f"{x:.3g}"))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--N", type=int, nargs="+", default=[8000])
    ap.add_argument("--T", type=float, default=0.05)
    ap.add_argument("--liquid", type=float, default=10.0)
    ap.add_argument("--anneal", type=float, default=10.0)
    ap.add_argument("--time", type=float, default=10.0)
    ap.add_argument("--stride", type=int, default=0, help="0 = first and last frame only, then bisection")
    ap.add_argument("--is-time", type=float, default=None,
                    help="IS trajectory of the frames with t <= this only (default: the whole run); a glass "
                         "still ageing has an event in most lags, and each costs a minimisation")
    ap.add_argument("--resume", action="store_true", help="reuse the liquid and trajectory already in --out")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--windows", nargs="+", default=["1,L/2", "2,L/2", "3,L/2", "4,L/2", "5,L/2", "2,5", "3,7"],
                    help="fit windows r_min,r_max (r_max L/2 = half the box)")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    out = Path(a.out or tempfile.mkdtemp(prefix="p3far."))
    model = p3_models({"model_params": {}})["glass"]
    t0 = time.time()
    fits, events = [], []
    for N in a.N:
        f, e = one(model, N, a, out)
        fits += f
        events.append(e)
    if fits:
        pd.DataFrame(fits).to_csv(out / "far_field_windows.csv", index=False)
    pd.concat(events, ignore_index=True).to_csv(out / "events.csv", index=False)
    print(f"\nwall time {time.time() - t0:.0f} s; files in {out}")


if __name__ == "__main__":
    main()
