"""Benchmark: P3 mode lifetimes, MD against three-phonon theory, and the far-field exponent a.

Glass (P3's 50:50 r^-12 mixture) and FCC crystal at rho = 1.015, N = 256 by default, through the
library's P3 protocol (``glasstools.lammps.vibrations``): liquid at T = 1 (NVT ``--liquid``),
instantaneous quench, NVT anneal (``--anneal``), NVE production (``--time``) with dumps every 0.1,
IS trajectory of every frame (rearrangements), then for runs without rearrangements the MD
tau_k (C_k = 1/e) and the classical three-phonon tau_k = 1/Gamma_k of every ``--stride``-th mode.
Printed per frequency band (``--band`` wide): n_decayed / n, <tau>_MD, <tau>_theory, ratio.

``--far-N``: a second, larger glass at T = ``--far-T`` whose IS trajectory (``--far-time``) is
searched for events; a (|Delta r_IS,i| ~ r^-a from the most displaced particle, fit window
[2, L/2]) of each event is printed (P3 Fig. 7: a = 2.5-3 at N = 256000).

Run: python benchmarks/p3_lifetimes.py [--glass-T 0.01 --crystal-T 0.05 0.1 --time 100]
     (~5-10 min on 2 cores at the defaults)
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from glasstools.config import p3_models
from glasstools.io import read_table
from glasstools.lammps.protocols import prepare_sample
from glasstools.lammps.vibrations import VibrationSettings, inherent_trajectory, mode_lifetimes, vibration_run


def run_state(models, kind, N, T, seed, s, out, liquid, stride, band, lifetimes=True):
    d = out / f"{kind}_N{N}_T{T:g}"
    vibration_run(models[kind], kind, N=N, density=1.015, T=T, seed=seed, dump_out=d / "traj.lammpstrj",
                  frames_out=d / "frames.parquet", log=d / "md.log", settings=s, liquid_data=liquid)
    summary = inherent_trajectory(models[kind], d / "traj.lammpstrj", d, dt=s.dt, log=d / "is.log")
    print(f"\n{kind} N={N} T={T:g}: {summary['events']} IS events in {summary['t_total']:g} "
          f"(noise floor {summary['noise_floor']:.1e})")
    if summary["rearranges"]:
        ev, _ = read_table(d / "events.parquet")
        print(ev[["t", "dr", "dphi", "n_rearr", "a", "a_err", "n_fit", "r_max"]].to_string(index=False))
    if summary["rearranges"] or not lifetimes:
        return None
    mode_lifetimes(models[kind], d / "traj.lammpstrj", d / "IS0.lammpstrj", d / "frames.parquet", d, T=T,
                   rearranges=False, theory_stride=stride)
    modes, _ = read_table(d / "modes.parquet")
    modes["band"] = np.floor(modes["omega"] / band) * band
    rows = []
    for b, g in modes.groupby("band"):
        md, th = g["tau"][g["decayed"]], g["tau_theory"].dropna()
        rows.append({"kind": kind, "T": T, "omega": f"{b:g}-{b + band:g}", "n": len(g), "decayed": len(md),
                     "tau_md": md.mean(), "tau_theory": th.mean(), "ratio": md.mean() / th.mean()})
    table = pd.DataFrame(rows)
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3g}"))
    print(f"equipartition <E_k>/T over all modes: {modes['e_mean_over_T'].mean():.3f}")
    return table


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--N", type=int, default=256)
    ap.add_argument("--glass-T", type=float, nargs="*", default=[0.01])
    ap.add_argument("--crystal-T", type=float, nargs="*", default=[0.05, 0.1])
    ap.add_argument("--liquid", type=float, default=20.0)
    ap.add_argument("--anneal", type=float, default=20.0)
    ap.add_argument("--time", type=float, default=100.0)
    ap.add_argument("--stride", type=int, default=4)
    ap.add_argument("--band", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--far-N", type=int, default=2000)
    ap.add_argument("--far-T", type=float, default=0.05)
    ap.add_argument("--far-time", type=float, default=10.0)
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    out = Path(a.out or tempfile.mkdtemp(prefix="p3bench."))
    models = p3_models({"model_params": {}})
    s = VibrationSettings(liquid_time=a.liquid, anneal_time=a.anneal, production_time=a.time)
    t0 = time.time()
    liquids = {}
    for N in {a.N, a.far_N} - {0}:
        liquids[N] = out / f"liquid_N{N}.data"
        prepare_sample(models["glass"], N=N, density=1.015, T=s.liquid_T, seed=a.seed, data_out=liquids[N],
                       log=out / f"liquid_N{N}.log", nvt_time=s.liquid_time, nve_time=0.0)
    tables = [run_state(models, "glass", a.N, T, a.seed + 1, s, out, liquids[a.N], a.stride, a.band)
              for T in a.glass_T]
    tables += [run_state(models, "crystal", a.N, T, a.seed + 2, s, out, None, a.stride, a.band)
               for T in a.crystal_T]
    if a.far_N:
        far = VibrationSettings(liquid_time=a.liquid, anneal_time=a.anneal, production_time=a.far_time)
        run_state(models, "glass", a.far_N, a.far_T, a.seed + 3, far, out, liquids[a.far_N], 0, a.band,
                  lifetimes=False)
    print(f"\nwall time {time.time() - t0:.0f} s; files in {out}")


if __name__ == "__main__":
    main()
