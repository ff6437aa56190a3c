"""Benchmark: MD mode lifetimes of a 1D anharmonic chain against three-phonon theory (issue 12).

The chain of tests/test_anharmonic_chain.py (``lammps.vibrations.anharmonic_chain``: P3's r^-12
mixture on a periodic line, random species order, motion along the line only, NVE from a harmonic
canonical sample) for several seeds and temperatures; for each, ``mode_lifetimes(components=(0,))``
and the theory at a second delta width. Printed per band of omega_max/8: modes, decayed, <E_k>/T,
geometric means of tau_MD/tau_theory at both widths, and (two T) the exponent x of tau_MD ~ T^-x
per band (three-phonon theory: x = 1 exactly).

Run: python benchmarks/p3_chain.py [--N 256 --T 0.02 0.05 --seeds 1 5 11 --time 200]
     (run length scales as 0.05 / T x --time; ~2 min on 2 cores at the defaults)
"""
from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from glasstools.analysis.harmonic import normal_modes
from glasstools.analysis.mode_lifetimes import geometric_mean
from glasstools.analysis.three_phonon import linewidths
from glasstools.io import read_table
from glasstools.lammps.dump import read_dump
from glasstools.lammps.vibrations import anharmonic_chain, mode_lifetimes
from glasstools.models import get_model


def one(model, out, N, T, seed, t_end, width2):
    t0 = time.time()
    info = anharmonic_chain(model, out, N=N, spacing=1.0, T=T, seed=seed, every=0.2, t_end=t_end)
    mode_lifetimes(model, out / "traj.lammpstrj", out / "IS0.lammpstrj", out / "frames.parquet", out, T=T,
                   rearranges=False, components=(0,), bin_width=3.0)
    modes, _ = read_table(out / "modes.parquet")
    ref = read_dump(out / "IS0.lammpstrj")
    omega, vectors = normal_modes(ref, model, components=(0,))
    modes["tau_theory2"] = linewidths(ref, model, omega, vectors, T, width=width2)["tau"].to_numpy()
    modes["band"] = np.floor(modes["omega"] / info["omega_max"] * 8).clip(upper=7).astype(int)
    modes["seed"], modes["T"] = seed, T
    return modes, time.time() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--N", type=int, default=256)
    ap.add_argument("--T", type=float, nargs="+", default=[0.02, 0.05])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 5, 11])
    ap.add_argument("--time", type=float, default=200.0, help="NVE length at T = 0.05 (scaled by 0.05/T)")
    ap.add_argument("--width2", type=float, default=10.0, help="second delta width (level spacings); first = 5")
    a = ap.parse_args()
    model = get_model("p3_ipl12")
    parts = []
    with tempfile.TemporaryDirectory() as tmp:
        for T in a.T:
            for seed in a.seeds:
                m, wall = one(model, Path(tmp) / f"T{T:g}_s{seed}", a.N, T, seed, a.time * 0.05 / T, a.width2)
                print(f"T = {T:g} seed {seed}: {wall:.0f} s wall")
                parts.append(m)
    modes = pd.concat(parts, ignore_index=True)
    modes["r5"] = modes["tau"] / modes["tau_theory"]
    modes["r2"] = modes["tau"] / modes["tau_theory2"]
    ok = modes[modes["decayed"]]
    for T, g in ok.groupby("T"):
        tab = g.groupby("band").agg(omega=("omega", "mean"), n=("omega", "size"), e=("e_mean_over_T", "mean"),
                                    tau_md=("tau", geometric_mean), ratio_w5=("r5", geometric_mean),
                                    ratio_w2=("r2", geometric_mean))
        per_seed = g.groupby(["band", "seed"])["r5"].apply(geometric_mean).unstack()
        tab["w5_min_seed"], tab["w5_max_seed"] = per_seed.min(axis=1), per_seed.max(axis=1)
        print(f"\nT = {T:g}, N = {a.N}, seeds {a.seeds}: geometric means over decayed modes "
              f"(ratio = tau_MD / tau_theory, widths 5 and {a.width2:g} level spacings)")
        print(tab.to_string(float_format=lambda x: f"{x:.3g}"))
        inner = g[g["band"].between(2, 6)]            # 0.25 <= omega / omega_max < 0.875
        print("interior (0.25 <= omega/omega_max < 0.875) per seed:",
              inner.groupby("seed")["r5"].apply(geometric_mean).round(3).to_dict())
    if len(a.T) >= 2:
        lo, hi = min(a.T), max(a.T)
        t = ok.pivot_table(index=["seed", "band"], columns="T", values="tau", aggfunc=geometric_mean)
        x = (np.log(t[lo]) - np.log(t[hi])) / math.log(hi / lo)
        print(f"\nexponent x of tau_MD ~ T^-x between T = {lo:g} and {hi:g}, per band (mean over seeds; theory 1):")
        print(x.groupby(level="band").agg(["mean", "min", "max"]).to_string(float_format=lambda v: f"{v:.2f}"))


if __name__ == "__main__":
    main()
